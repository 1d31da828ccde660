/* Guest FPU state: enabling XSAVE-managed state, loading a pattern per guest_fpu_state and checking
 * it. Vector registers are touched only in the asm below (the file is built with
 * -mgeneral-regs-only). */
#include "guest.h"

#define REGS_0_15 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
#define REGS_0_31 REGS_0_15 ",16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

static uint8_t expected[32 * 64 + 64] __attribute__((aligned(64)));
static uint8_t found[32 * 64 + 64] __attribute__((aligned(64)));

static uint64_t splitmix64(uint64_t* s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Bytes of pattern per state: XMM 16x16; YMM 16x32; ZMM 32x64 + 8 opmask registers. */
static unsigned long pattern_bytes(unsigned state) {
  switch (state) {
    case GUEST_FPU_SSE: return 16 * 16;
    case GUEST_FPU_AVX: return 16 * 32;
    case GUEST_FPU_AVX512: return 32 * 64 + 64;
    default: return 16 * 16; /* init: sixteen zero XMM registers */
  }
}

static void make_pattern(unsigned state, uint64_t seed) {
  unsigned long n = pattern_bytes(state);
  for (unsigned long i = 0; i < n; i += 8) {
    uint64_t v = state == GUEST_FPU_INIT ? 0 : splitmix64(&seed);
    memcpy(expected + i, &v, 8);
  }
}

void guest_enable_xstate(void) {
  uint32_t r[4];
  cpuid(1, 0, r);
  if (!(r[2] & (1u << 27))) return; /* no OSXSAVE: the host left CR4.OSXSAVE clear */
  cpuid(0xd, 0, r);
  uint64_t xcr0 = ((uint64_t)r[3] << 32 | r[0]) & 0xe7; /* x87, SSE, AVX, opmask, ZMM */
  __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
}

static void load_registers(unsigned state, const uint8_t* p) {
  switch (state) {
    case GUEST_FPU_AVX:
      __asm__ volatile(".irp n," REGS_0_15 "\n\tvmovdqu \\n*32(%0), %%ymm\\n\n\t.endr" : : "r"(p) : "memory");
      break;
    case GUEST_FPU_AVX512:
      __asm__ volatile(".irp n," REGS_0_31
                       "\n\tvmovdqu64 \\n*64(%0), %%zmm\\n\n\t.endr\n\t"
                       ".irp n,0,1,2,3,4,5,6,7\n\tkmovq 2048+\\n*8(%0), %%k\\n\n\t.endr"
                       :
                       : "r"(p)
                       : "memory");
      break;
    default:
      __asm__ volatile(".irp n," REGS_0_15 "\n\tmovdqu \\n*16(%0), %%xmm\\n\n\t.endr" : : "r"(p) : "memory");
  }
}

static void store_registers(unsigned state, uint8_t* p) {
  switch (state) {
    case GUEST_FPU_AVX:
      __asm__ volatile(".irp n," REGS_0_15 "\n\tvmovdqu %%ymm\\n, \\n*32(%0)\n\t.endr" : : "r"(p) : "memory");
      break;
    case GUEST_FPU_AVX512:
      __asm__ volatile(".irp n," REGS_0_31
                       "\n\tvmovdqu64 %%zmm\\n, \\n*64(%0)\n\t.endr\n\t"
                       ".irp n,0,1,2,3,4,5,6,7\n\tkmovq %%k\\n, 2048+\\n*8(%0)\n\t.endr"
                       :
                       : "r"(p)
                       : "memory");
      break;
    default:
      __asm__ volatile(".irp n," REGS_0_15 "\n\tmovdqu %%xmm\\n, \\n*16(%0)\n\t.endr" : : "r"(p) : "memory");
  }
}

void guest_fpu_load(unsigned state, uint64_t seed) {
  make_pattern(state, seed);
  load_registers(state, expected);
}

uint64_t guest_fpu_check(unsigned state, uint64_t seed) {
  (void)seed; /* the pattern of the last guest_fpu_load() is still in `expected` */
  store_registers(state, found);
  const uint64_t* e = (const uint64_t*)expected;
  const uint64_t* f = (const uint64_t*)found;
  unsigned long words = pattern_bytes(state) / 8;
  for (unsigned long i = 0; i < words; ++i)
    if (e[i] != f[i]) return 1 + i;
  return 0;
}

uint64_t guest_fpu_expected(void) { return (uint64_t)expected; }

uint64_t guest_fpu_word(int which, uint64_t index) {
  return ((const uint64_t*)(which ? found : expected))[index];
}

uint64_t guest_fpu_snapshot(unsigned state) {
  store_registers(state, found);
  return (uint64_t)found;
}
