// What guests can do under this KVM backend, probed once per process: AVX, AVX-512 and XSAVE in
// the guest. First the guest CPUID KVM offers must have the feature; then a probe payload runs the
// instruction, and an emulation failure (as under the nested PVM backend) is the reason to skip.
#pragma once

#include <string>

#include "host/kvm/kvm_system.h"

namespace fpubench {

struct GuestAbilities {
  std::string avx_unavailable;  // "" when the guest can use AVX, else why not
  std::string avx512_unavailable;
  std::string xsave_unavailable;
  bool xsaves = false;  // the guest CPUID offers XSAVES
  uint64_t xcr0 = 0;    // what the guest enables (x87|SSE|AVX|AVX-512 as offered)
};

const GuestAbilities& guest_abilities(const KvmSystem& kvm);

}  // namespace fpubench
