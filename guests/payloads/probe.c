/* Runs one instruction of a kind the hypervisor may not be able to run (AVX, AVX-512, XSAVE,
 * XGETBV), then reports success. A hypervisor that cannot stops us with an emulation failure,
 * which the host turns into a skip with that reason. */
#include "guest.h"
#include "payloads.h"

static uint8_t area[16384] __attribute__((aligned(64)));

void guest_probe_vector(void) {
  guest_enable_xstate();
  switch (this_cpu()->payload_arg) {
    case GUEST_PROBE_AVX: __asm__ volatile("vpxor %%ymm1, %%ymm1, %%ymm1" ::: "memory"); break;
    case GUEST_PROBE_AVX512: __asm__ volatile("vpxorq %%zmm17, %%zmm17, %%zmm17" ::: "memory"); break;
    case GUEST_PROBE_XSAVE: __asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(3), "d"(0) : "memory"); break;
    default: {
      uint32_t lo, hi;
      __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    }
  }
  GUEST_SYNC(1);
}
