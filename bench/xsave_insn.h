// The XSAVE-family instructions, one inline wrapper each, 64-bit forms (as Linux uses them).
// Buffers must be 64-byte aligned (16 for FXSAVE). RFBM is the requested-feature bitmap in
// EDX:EAX; the CPU intersects it with XCR0.
#pragma once

#include <cstdint>

namespace fpubench::insn {

#define FPUBENCH_RFBM(rfbm) "a"(uint32_t(rfbm)), "d"(uint32_t((rfbm) >> 32))

inline void fxsave(void* buf) { __asm__ volatile("fxsave64 %0" : "=m"(*(char(*)[512])buf)); }
inline void fxrstor(const void* buf) { __asm__ volatile("fxrstor64 %0" : : "m"(*(const char(*)[512])buf)); }
inline void xsave(void* buf, uint64_t rfbm) {
  __asm__ volatile("xsave64 (%0)" : : "r"(buf), FPUBENCH_RFBM(rfbm) : "memory");
}
inline void xsaveopt(void* buf, uint64_t rfbm) {
  __asm__ volatile("xsaveopt64 (%0)" : : "r"(buf), FPUBENCH_RFBM(rfbm) : "memory");
}
inline void xsavec(void* buf, uint64_t rfbm) {
  __asm__ volatile("xsavec64 (%0)" : : "r"(buf), FPUBENCH_RFBM(rfbm) : "memory");
}
// Standard or compacted form, chosen by bit 63 of the buffer's XCOMP_BV.
inline void xrstor(const void* buf, uint64_t rfbm) {
  __asm__ volatile("xrstor64 (%0)" : : "r"(buf), FPUBENCH_RFBM(rfbm) : "memory");
}
inline uint64_t xgetbv(uint32_t index) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
  return (uint64_t{hi} << 32) | lo;
}

#undef FPUBENCH_RFBM

}  // namespace fpubench::insn
