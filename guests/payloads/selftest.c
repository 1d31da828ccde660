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
