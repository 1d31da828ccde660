// /dev/kvm itself: whether this process can use it (and if not, the one-line reason every KVM
// benchmark is skipped with), the capabilities the VMM needs, and the CPUID KVM can give a guest.
#pragma once

#include <linux/kvm.h>

#include <string>
#include <vector>

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

}  // namespace fpubench
