// Register-state control per xstate component: load a pattern into the live registers, read them
// back, or put components into their init state. Loads and reads use plain register moves (MOVDQU,
// VINSERT*/VEXTRACT*, KMOV, WRPKRU/RDPKRU, LDTILECFG/TILELOADD/TILESTORED, FXSAVE/FXRSTOR for the
// x87 stack), never XSAVE/XRSTOR, so they can check the XSAVE family independently.
//
// Compiled with -mgeneral-regs-only: nothing here may touch vector registers behind our back, and
// between a load and the code that depends on it the caller must not call into code that does
// (glibc's memcpy uses AVX and ends with VZEROUPPER).
#pragma once

#include <cstdint>

#include "bench/cpuid_source.h"
#include "bench/xstate.h"
#include "bench/xstate_image.h"

namespace fpubench {

class RegisterState {
 public:
  RegisterState(const XstateLayout& layout, const CpuidSource& cpu);

  // Components this class can load and read on this CPU: the enabled ones among x87, SSE, AVX,
  // opmask, ZMM_Hi256, Hi16_ZMM, PKRU, and the AMX ones once the kernel permits them.
  uint64_t controllable() const { return controllable_; }

  void load(const XstateImage& image, uint64_t mask) const;
  void read(XstateImage& image, uint64_t mask) const;
  // Architectural init state for `mask`, through XRSTOR of a header with XSTATE_BV = 0.
  void init(uint64_t mask) const;

 private:
  const XstateLayout& layout_;
  XstateImage init_image_;
  uint64_t controllable_ = 0;
  bool kmovq_ = false;  // AVX512BW: 64-bit opmask moves; otherwise 16-bit KMOVW
  bool evex_ = false;   // AVX-512: write YMM uppers without zeroing ZMM uppers
};

}  // namespace fpubench
