/* The XSAVE family at CPL0, including XSAVES/XRSTORS, timed in the guest in batches of 32. */
#include "guest.h"
#include "payloads.h"

static uint8_t area[2][16384] __attribute__((aligned(64)));

#define BATCH(insn, buf) \
  __asm__ volatile(".rept 32\n\t" insn " (%0)\n\t.endr" : : "r"(buf), "a"(lo), "d"(hi) : "memory")

void guest_xsave_family(void) {
  uint64_t arg = this_cpu()->payload_arg;
  unsigned insn = (unsigned)(arg >> 32);
  uint32_t lo = (uint32_t)arg, hi = 0;
  guest_enable_xstate();
  guest_fpu_load(GUEST_FPU_SSE, 7);
  /* A valid image to restore from, in the format each restore expects. */
  if (insn == GUEST_XRSTORS)
    __asm__ volatile("xsaves64 (%0)" : : "r"(area[0]), "a"(lo), "d"(hi) : "memory");
  else
    __asm__ volatile("xsave64 (%0)" : : "r"(area[0]), "a"(lo), "d"(hi) : "memory");
  for (;;) {
    uint64_t t0 = rdtsc_ordered();
    switch (insn) {
      case GUEST_XSAVE: BATCH("xsave64", area[1]); break;
      case GUEST_XSAVEOPT: BATCH("xsaveopt64", area[1]); break;
      case GUEST_XSAVEC: BATCH("xsavec64", area[1]); break;
      case GUEST_XSAVES: BATCH("xsaves64", area[1]); break;
      case GUEST_XRSTOR: BATCH("xrstor64", area[0]); break;
      default: BATCH("xrstors64", area[0]); break;
    }
    uint64_t t1 = rdtsc_ordered();
    GUEST_SYNC4(t1 - t0, 32, 0, 0);
  }
}
