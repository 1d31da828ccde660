/* Exits: to user space (PIO, MMIO) with the guest's FPU state held and checked after every exit,
 * and exits KVM handles in the kernel (CPUID, RDMSR, an ioeventfd write), timed in the guest. */
#include "guest.h"
#include "payloads.h"

static uint64_t seed(void) { return 100 + this_cpu()->vcpu_id; }

void guest_pio_loop(void) {
  unsigned state = (unsigned)this_cpu()->payload_arg;
  guest_enable_xstate();
  guest_fpu_load(state, seed());
  GUEST_SYNC(0); /* ready: every later KVM_RUN is one round trip */
  for (uint64_t exits = 1;; ++exits) {
    outb(GUEST_BENCH_PORT, 0);
    if (exits % GUEST_CHECK_INTERVAL == 0) GUEST_FPU_CHECK(state);
  }
}

void guest_mmio_loop(void) {
  unsigned state = (unsigned)this_cpu()->payload_arg;
  guest_enable_xstate();
  guest_fpu_load(state, seed());
  GUEST_SYNC(0);
  for (uint64_t exits = 1;; ++exits) {
    *(volatile uint32_t*)GUEST_MMIO_ADDR = 0;
    if (exits % GUEST_CHECK_INTERVAL == 0) GUEST_FPU_CHECK(state);
  }
}

#define MSR_IA32_APIC_BASE 0x1b

void guest_inkernel_exits(void) {
  uint64_t which = this_cpu()->payload_arg;
  _Static_assert(GUEST_INKERNEL_BATCH == 64, "the .rept counts below");
  for (;;) {
    /* Unrolled: no loop instructions between the exits. */
    uint64_t t0 = rdtsc_ordered();
    switch (which) {
      case GUEST_EXIT_CPUID:
        __asm__ volatile(".rept 64\n\txor %%eax, %%eax\n\txor %%ecx, %%ecx\n\tcpuid\n\t.endr" ::
                             : "eax", "ebx", "ecx", "edx");
        break;
      case GUEST_EXIT_RDMSR:
        __asm__ volatile(".rept 64\n\trdmsr\n\t.endr" : : "c"(MSR_IA32_APIC_BASE) : "eax", "edx");
        break;
      default: __asm__ volatile(".rept 64\n\toutb %%al, %0\n\t.endr" : : "i"(GUEST_IOEVENTFD_PORT), "a"(0));
    }
    uint64_t t1 = rdtsc_ordered();
    GUEST_SYNC4(t1 - t0, GUEST_INKERNEL_BATCH, 0, 0);
  }
}
