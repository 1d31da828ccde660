#include "host/kvm/kvm_cpuid.h"

namespace fpubench {

CpuidRegs regs_of(const kvm_cpuid_entry2& e) { return {e.eax, e.ebx, e.ecx, e.edx}; }

void set_regs(kvm_cpuid_entry2& e, const CpuidRegs& r) {
  e.eax = r.eax;
  e.ebx = r.ebx;
  e.ecx = r.ecx;
  e.edx = r.edx;
}

CpuidRegs KvmCpuid::query(uint32_t leaf, uint32_t subleaf) const {
  // Leaves above the maximum KVM offers read as zero, as CpuidSource promises.
  uint32_t base = leaf & 0xffff0000u;
  if (leaf > kvm_.cpuid_entry(base).eax && leaf != base) return {};
  return regs_of(kvm_.cpuid_entry(leaf, subleaf));
}

}  // namespace fpubench
