/* Exits: to user space (PIO, MMIO) with the guest's FPU state held and checked after every exit,
 * and exits KVM handles in the kernel (CPUID, RDMSR, an ioeventfd write), timed in the guest. */
#include "guest.h"
#include "payloads.h"

static uint64_t seed(void) { return 100 + this_cpu()->vcpu_id; }

void guest_pio_loop(void) {
  unsigned state = (unsigned)this_cpu()->payload_arg;
  guest_enable_xstate();
  guest_fpu_load(state, seed());
  GUEST_SYNC(0);  /* ready: every later KVM_RUN is one round trip */
  for (;;) {
    outb(GUEST_BENCH_PORT, 0);
    GUEST_ASSERT_EQ(guest_fpu_check(state, seed()), 0);
  }
}

void guest_mmio_loop(void) {
  unsigned state = (unsigned)this_cpu()->payload_arg;
  guest_enable_xstate();
  guest_fpu_load(state, seed());
  GUEST_SYNC(0);
  for (;;) {
    *(volatile uint32_t*)GUEST_MMIO_ADDR = 0;
    GUEST_ASSERT_EQ(guest_fpu_check(state, seed()), 0);
  }
}

#define MSR_IA32_APIC_BASE 0x1b

void guest_inkernel_exits(void) {
  uint64_t which = this_cpu()->payload_arg;
  uint32_t r[4];
  for (;;) {
    uint64_t t0 = rdtsc_ordered();
    for (int i = 0; i < GUEST_INKERNEL_BATCH; ++i) {
      switch (which) {
        case GUEST_EXIT_CPUID: cpuid(0, 0, r); break;
        case GUEST_EXIT_RDMSR: (void)rdmsr(MSR_IA32_APIC_BASE); break;
        default: outb(GUEST_IOEVENTFD_PORT, 0); break;
      }
    }
    uint64_t t1 = rdtsc_ordered();
    GUEST_SYNC4(t1 - t0, GUEST_INKERNEL_BATCH, 0, 0);
  }
}
