// XSAVE-managed state as this CPU lays it out: which components XCR0 enables (and which
// supervisor components IA32_XSS could), their sizes and offsets in the standard and compacted
// formats, and which XSAVE-family instructions exist. Built from an injected CpuidSource.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/cpuid_source.h"

namespace fpubench {

// Architectural component numbers (Intel SDM vol. 1, 13.1).
enum XstateComponentId : unsigned {
  kX87 = 0,
  kSseState = 1,
  kAvxState = 2,
  kBndregs = 3,
  kBndcsr = 4,
  kOpmask = 5,
  kZmmHi256 = 6,
  kHi16Zmm = 7,
  kPtState = 8,
  kPkruState = 9,
  kPasid = 10,
  kCetUser = 11,
  kCetSupervisor = 12,
  kHdc = 13,
  kUintr = 14,
  kLbr = 15,
  kHwp = 16,
  kXtilecfg = 17,
  kXtiledata = 18,
  kApx = 19,
};

constexpr uint64_t component_bit(unsigned id) { return uint64_t{1} << id; }

// The component sets every suite speaks of, each defined once: what a thread holds in state
// "sse", "avx", "avx512", and the AMX tile components.
constexpr uint64_t kSseComponents = component_bit(kX87) | component_bit(kSseState);
constexpr uint64_t kAvxComponents = kSseComponents | component_bit(kAvxState);
constexpr uint64_t kAvx512Components =
    kAvxComponents | component_bit(kOpmask) | component_bit(kZmmHi256) | component_bit(kHi16Zmm);
constexpr uint64_t kAmxComponents = component_bit(kXtilecfg) | component_bit(kXtiledata);

// Bytes of the legacy region (x87 + SSE, FXSAVE layout) and of the XSAVE header after it.
constexpr uint32_t kLegacyRegionSize = 512;
constexpr uint32_t kXsaveHeaderSize = 64;
constexpr uint32_t kXsaveHeaderOffset = kLegacyRegionSize;
constexpr uint32_t kExtendedRegionOffset = kLegacyRegionSize + kXsaveHeaderSize;
constexpr uint64_t kXcompBvCompacted = uint64_t{1} << 63;

std::string component_name(unsigned id);
// "x87|SSE|AVX" style; "none" for 0.
std::string describe_components(uint64_t mask);

struct XstateComponent {
  unsigned id = 0;
  uint32_t size = 0;
  uint32_t offset = 0;  // standard format; x87 and SSE live in the legacy region
  bool supervisor = false;
  bool align64 = false;  // compacted format starts it on a 64-byte boundary
  bool xfd = false;      // first use can fault so the kernel allocates lazily (AMX)
};

struct XstateLayout {
  bool xsave = false;  // CPU has XSAVE and the OS enabled it (CR4.OSXSAVE)
  bool xsaveopt = false, xsavec = false, xsaves = false, xgetbv1 = false, xfd = false;
  uint64_t xcr0 = 0;                        // enabled user components
  uint64_t supported_xcr0 = 0;              // what the CPU could enable
  uint64_t supported_xss = 0;               // supervisor components IA32_XSS could enable
  uint32_t cpuid_standard_size = 0;         // CPUID: standard size for the current XCR0
  uint32_t cpuid_compacted_size = 0;        // CPUID: compacted size for XCR0 | IA32_XSS
  std::vector<XstateComponent> components;  // enabled user ones, then supported supervisor ones

  const XstateComponent* find(unsigned id) const;
  bool enables(uint64_t mask) const { return (xcr0 & mask) == mask; }
  uint64_t user_mask() const { return xcr0; }
  // Bytes a standard-format buffer needs to hold `mask` (at least legacy region + header).
  uint32_t standard_size(uint64_t mask) const;
  // Offset of `id` in a compacted buffer whose XCOMP_BV holds `xcomp_bv`.
  uint32_t compacted_offset(unsigned id, uint64_t xcomp_bv) const;
  uint32_t compacted_size(uint64_t xcomp_bv) const;
};

// The instructions Linux switches tasks' (and KVM guests') xstate with, as its alternatives pick
// them: XSAVES/XRSTORS where the CPU has XSAVES; else XSAVEC, whose compacted image XRSTOR reads
// back ("XRSTOR-compacted"); else XSAVEOPT or XSAVE with XRSTOR. Signal frames always use the
// standard format: XSAVE into the frame, XRSTOR at sigreturn. Assumes a current kernel (the
// XSAVEC rung is a 2022 addition; older kernels use XSAVEOPT where this says XSAVEC).
struct KernelXsaveInsns {
  const char* save;     // "XSAVES", "XSAVEC", "XSAVEOPT", "XSAVE", or "none" without XSAVE
  const char* restore;  // "XRSTORS", "XRSTOR-compacted", "XRSTOR", or "none"
};
KernelXsaveInsns kernel_xsave_insns(const XstateLayout& layout);

// Throws std::runtime_error when leaf 0xD contradicts itself (a component XCR0 enables with no
// size), naming the component.
XstateLayout enumerate_xstate(const CpuidSource& cpu);

}  // namespace fpubench
