// /dev/kvm itself: whether this process can use it (and if not, the one-line reason every KVM
// benchmark is skipped with), the capabilities the VMM needs, and the CPUID KVM can give a guest.
#pragma once

#include <linux/kvm.h>

#include <optional>
#include <string>
#include <vector>

#include "bench/cpuid_source.h"

namespace fpubench {

class KvmSystem {
 public:
  // The process-wide instance, or nullptr with `why` filled in.
  static const KvmSystem* get(std::string* why);

  int fd() const { return fd_; }
  int vcpu_mmap_size() const { return vcpu_mmap_size_; }
  const std::vector<kvm_cpuid_entry2>& supported_cpuid() const { return cpuid_; }
  // The guest CPUID entry for leaf/subleaf, zeros if KVM does not offer it.
  kvm_cpuid_entry2 cpuid_entry(uint32_t function, uint32_t index = 0) const;

 private:
  KvmSystem() = default;
  std::string open();
  int fd_ = -1;
  int vcpu_mmap_size_ = 0;
  std::vector<kvm_cpuid_entry2> cpuid_;
};

// The CPUID KVM offers a guest (KVM_GET_SUPPORTED_CPUID) as a CpuidSource, so KVM code asks
// cpu_has(KvmCpuid(kvm), CpuFeature::kXsave) as host code asks it of the host CPU (the
// selftests' kvm_cpu_has beside this_cpu_has), and converting entries to and from CpuidRegs.

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
