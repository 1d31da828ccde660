// Built with -mgeneral-regs-only (see regstate.h). Every vector move is in the asm below.
#include "bench/regstate.h"

#include "bench/xsave_insn.h"
#include "bench/xstate_permission.h"

namespace fpubench {
namespace {

#define FPUBENCH_REGS_0_15 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
#define FPUBENCH_REGS_16_31 "16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
#define FPUBENCH_REGS_0_7 "0,1,2,3,4,5,6,7"

constexpr uint32_t kMxcsr = 24, kXmmRegs = 160, kX87HeadBytes = 24, kStRegs = 32, kStEnd = 160;

// A copy loop the compiler may not turn into a memcpy call (glibc's would clobber vectors).
void copy_bytes(uint8_t* dst, const uint8_t* src, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    __asm__ volatile("" ::: "memory");
    dst[i] = src[i];
  }
}

uint8_t* at(XstateImage& img, const XstateLayout& l, unsigned id) { return img.data() + l.find(id)->offset; }
const uint8_t* at(const XstateImage& img, const XstateLayout& l, unsigned id) {
  return img.data() + l.find(id)->offset;
}

}  // namespace

RegisterState::RegisterState(const XstateLayout& layout, const CpuidSource& cpu)
    : layout_(layout), init_image_(make_init_image(layout)) {
  uint64_t known = component_bit(kX87) | component_bit(kSseState) | component_bit(kAvxState) |
                   component_bit(kOpmask) | component_bit(kZmmHi256) | component_bit(kHi16Zmm);
  if (cpu_has(cpu, CpuFeature::kOspke)) known |= component_bit(kPkruState);
  uint64_t amx = kAmxComponents;
  if (cpu_has(cpu, CpuFeature::kAmxTile) && (permitted_xstate() & amx) == amx) known |= amx;
  controllable_ = layout.xcr0 & known;
  kmovq_ = cpu_has(cpu, CpuFeature::kAvx512Bw);
  evex_ = layout.enables(component_bit(kZmmHi256));
}

void RegisterState::load(const XstateImage& img, uint64_t mask) const {
  mask &= controllable_;
  const uint8_t* p = img.data();
  // x87 first: its read-modify-write of an FXSAVE image is the only part with a copy loop.
  if (mask & component_bit(kX87)) {
    alignas(16) uint8_t fx[512];
    insn::fxsave(fx);
    copy_bytes(fx, p, kX87HeadBytes);
    copy_bytes(fx + kStRegs, p + kStRegs, kStEnd - kStRegs);
    insn::fxrstor(fx);
  }
  if (mask & component_bit(kSseState)) {
    // Legacy-SSE MOVDQU leaves bits 511:128 alone.
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_15
                     "\n\tmovdqu \\n*16(%0), %%xmm\\n\n\t.endr\n\t"
                     "ldmxcsr (%1)"
                     :
                     : "r"(p + kXmmRegs), "r"(p + kMxcsr)
                     : "memory");
  }
  if (mask & component_bit(kAvxState)) {
    const uint8_t* q = at(img, layout_, kAvxState);
    if (evex_)  // EVEX.512 insert keeps lanes 0, 2 and 3: the ZMM_Hi256 component is untouched.
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_15
                       "\n\tvinserti32x4 $1, \\n*16(%0), %%zmm\\n, %%zmm\\n\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
    else
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_15
                       "\n\tvinsertf128 $1, \\n*16(%0), %%ymm\\n, %%ymm\\n\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
  }
  if (mask & component_bit(kZmmHi256))
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_15
                     "\n\tvinserti64x4 $1, \\n*32(%0), %%zmm\\n, %%zmm\\n\n\t.endr"
                     :
                     : "r"(at(img, layout_, kZmmHi256))
                     : "memory");
  if (mask & component_bit(kHi16Zmm))
    __asm__ volatile(".irp n," FPUBENCH_REGS_16_31 "\n\tvmovdqu64 \\n*64-1024(%0), %%zmm\\n\n\t.endr"
                     :
                     : "r"(at(img, layout_, kHi16Zmm))
                     : "memory");
  if (mask & component_bit(kOpmask)) {
    const uint8_t* q = at(img, layout_, kOpmask);
    if (kmovq_)
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\tkmovq \\n*8(%0), %%k\\n\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
    else
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\tkmovw \\n*8(%0), %%k\\n\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
  }
  if (mask & component_bit(kPkruState)) {
    uint32_t pkru = *reinterpret_cast<const uint32_t*>(at(img, layout_, kPkruState));
    __asm__ volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0) : "memory");
  }
  if (mask & component_bit(kXtilecfg))
    __asm__ volatile("ldtilecfg (%0)" : : "r"(at(img, layout_, kXtilecfg)) : "memory");
  if (mask & component_bit(kXtiledata))  // rows of 64 bytes: stride 64, tile n at n * 1 KiB
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\ttileloadd \\n*1024(%0,%1,1), %%tmm\\n\n\t.endr"
                     :
                     : "r"(at(img, layout_, kXtiledata)), "r"(uint64_t{64})
                     : "memory");
}

void RegisterState::read(XstateImage& img, uint64_t mask) const {
  mask &= controllable_;
  uint8_t* p = img.data();
  if (mask & component_bit(kSseState))
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_15
                     "\n\tmovdqu %%xmm\\n, \\n*16(%0)\n\t.endr\n\t"
                     "stmxcsr (%1)"
                     :
                     : "r"(p + kXmmRegs), "r"(p + kMxcsr)
                     : "memory");
  if (mask & component_bit(kAvxState))
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_15 "\n\tvextractf128 $1, %%ymm\\n, \\n*16(%0)\n\t.endr"
                     :
                     : "r"(at(img, layout_, kAvxState))
                     : "memory");
  if (mask & component_bit(kZmmHi256))
    __asm__ volatile(".irp n," FPUBENCH_REGS_0_15 "\n\tvextracti64x4 $1, %%zmm\\n, \\n*32(%0)\n\t.endr"
                     :
                     : "r"(at(img, layout_, kZmmHi256))
                     : "memory");
  if (mask & component_bit(kHi16Zmm))
    __asm__ volatile(".irp n," FPUBENCH_REGS_16_31 "\n\tvmovdqu64 %%zmm\\n, \\n*64-1024(%0)\n\t.endr"
                     :
                     : "r"(at(img, layout_, kHi16Zmm))
                     : "memory");
  if (mask & component_bit(kOpmask)) {
    uint8_t* q = at(img, layout_, kOpmask);
    if (kmovq_)
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\tkmovq %%k\\n, \\n*8(%0)\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
    else {
      for (int i = 0; i < 64; ++i) q[i] = 0;
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\tkmovw %%k\\n, \\n*8(%0)\n\t.endr"
                       :
                       : "r"(q)
                       : "memory");
    }
  }
  if (mask & component_bit(kPkruState)) {
    uint32_t pkru;
    __asm__ volatile("rdpkru" : "=a"(pkru) : "c"(0) : "rdx");
    *reinterpret_cast<uint32_t*>(at(img, layout_, kPkruState)) = pkru;
  }
  if (mask & component_bit(kXtilecfg))
    __asm__ volatile("sttilecfg (%0)" : : "r"(at(img, layout_, kXtilecfg)) : "memory");
  if (mask & component_bit(kXtiledata)) {
    uint8_t* tiles = at(img, layout_, kXtiledata);
    alignas(64) uint8_t cfg[64];
    __asm__ volatile("sttilecfg (%0)" : : "r"(cfg) : "memory");
    for (uint32_t i = 0; i < layout_.find(kXtiledata)->size; ++i) tiles[i] = 0;
    // Unconfigured tiles (palette 0) are in init state and TILESTORED would fault: zeros it is.
    if (cfg[0] != 0)
      __asm__ volatile(".irp n," FPUBENCH_REGS_0_7 "\n\ttilestored %%tmm\\n, \\n*1024(%0,%1,1)\n\t.endr"
                       :
                       : "r"(tiles), "r"(uint64_t{64})
                       : "memory");
  }
  if (mask & component_bit(kX87)) {  // last: the copy loop must not run before vector reads
    alignas(16) uint8_t fx[512];
    insn::fxsave(fx);
    copy_bytes(p, fx, kX87HeadBytes);
    copy_bytes(p + kStRegs, fx + kStRegs, kStEnd - kStRegs);
  }
}

void RegisterState::init(uint64_t mask) const {
  // XRSTOR with XSTATE_BV[i] = 0 puts component i into its init state; MXCSR is still read from
  // the image, which holds the default.
  insn::xrstor(init_image_.data(), mask & layout_.xcr0);
}

}  // namespace fpubench
