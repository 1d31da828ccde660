/* Payloads that exercise the VMM itself: the call channel and how failures reach the host. */
#include "guest.h"
#include "payloads.h"

void guest_selftest_sync(void) {
  uint64_t arg = this_cpu()->payload_arg;
  GUEST_SYNC4(arg, arg + 1, this_cpu()->vcpu_id, 0xfeed);
}

void guest_selftest_assert(void) { GUEST_ASSERT_EQ(this_cpu()->payload_arg, 12345); }

void guest_selftest_bad_port(void) { outb(GUEST_UNKNOWN_PORT, 1); }

void guest_selftest_ud2(void) { __asm__ volatile("ud2"); }

/* What a kernel that loses guest state looks like from inside: the check must report it as FPU
 * corruption, not as an ordinary assertion. */
void guest_selftest_fpu_corrupt(void) {
  guest_fpu_load(GUEST_FPU_SSE, 7);
  /* No clobber list: this code is built without vector registers, so nothing else uses XMM3.
   * A plain load, as the runtime's own (nested PVM cannot emulate every SSE instruction). */
  static const uint8_t ones[16]
      __attribute__((aligned(16))) = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  __asm__ volatile("movdqu %0, %%xmm3" : : "m"(ones));
  GUEST_FPU_CHECK(GUEST_FPU_SSE);
  GUEST_DONE();
}
