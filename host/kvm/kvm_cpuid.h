// The CPUID KVM offers a guest (KVM_GET_SUPPORTED_CPUID) as a CpuidSource, so KVM code asks
// cpu_has(KvmCpuid(kvm), CpuFeature::kXsave) as host code asks it of the host CPU (the
// selftests' kvm_cpu_has beside this_cpu_has), and converting entries to and from CpuidRegs.
#pragma once

#include <linux/kvm.h>

#include "bench/cpuid_source.h"
#include "host/kvm/kvm_system.h"

namespace fpubench {

class KvmCpuid final : public CpuidSource {
 public:
  explicit KvmCpuid(const KvmSystem& kvm) : kvm_(kvm) {}
  CpuidRegs query(uint32_t leaf, uint32_t subleaf = 0) const override;
  // A guest's XCR0 is whatever it sets: there is nothing to read before it runs.
  std::optional<uint64_t> xgetbv(uint32_t) const override { return std::nullopt; }

 private:
  const KvmSystem& kvm_;
};

CpuidRegs regs_of(const kvm_cpuid_entry2& entry);
void set_regs(kvm_cpuid_entry2& entry, const CpuidRegs& regs);

}  // namespace fpubench
