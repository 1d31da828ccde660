#include "host/kvm/kvm_system.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/kvm/kvm_flex_ioctl.h"
#include "host/kvm/kvm_ioctl.h"

namespace fpubench {

const KvmSystem* KvmSystem::get(std::string* why) {
  static KvmSystem system;
  static const std::string reason = system.open();
  if (!reason.empty()) {
    if (why) *why = reason;
    return nullptr;
  }
  return &system;
}

std::string KvmSystem::open() {
  fd_ = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT) return "no /dev/kvm (KVM is not available on this machine)";
    if (errno == EACCES || errno == EPERM)
      return "no permission to open /dev/kvm (run as root or join the kvm group)";
    return std::string("cannot open /dev/kvm: ") + std::strerror(errno);
  }
  try {
    if (KVM_IOCTL(fd_, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
      return "/dev/kvm speaks another KVM API version";
    struct Need {
      int cap;
      const char* name;
    };
    for (Need n : {Need{KVM_CAP_IRQCHIP, "an in-kernel irqchip"}, Need{KVM_CAP_IRQFD, "irqfd"},
                   Need{KVM_CAP_IOEVENTFD, "ioeventfd"}, Need{KVM_CAP_IRQ_ROUTING, "GSI routing"},
                   Need{KVM_CAP_USER_MEMORY, "user memory slots"}}) {
      if (KVM_IOCTL(fd_, KVM_CHECK_EXTENSION, n.cap) == 0) return std::string("KVM here lacks ") + n.name;
    }
    vcpu_mmap_size_ = KVM_IOCTL(fd_, KVM_GET_VCPU_MMAP_SIZE, 0);
    // KVM says how many entries it needs by failing with E2BIG; grow until it fits.
    for (uint32_t n = 64; n <= 4096; n *= 2) {
      std::vector<kvm_cpuid_entry2> entries(n);
      uint32_t got = 0;
      if (kvm_get_supported_cpuid(fd_, entries.data(), n, &got) == 0) {
        cpuid_.assign(entries.begin(), entries.begin() + got);
        return "";
      }
      if (errno != E2BIG) checked_kvm_result(-1, "KVM_GET_SUPPORTED_CPUID", "/dev/kvm");
    }
    return "KVM_GET_SUPPORTED_CPUID needs too many entries";
  } catch (const KvmIoctlError& e) {  // a reason to skip every KVM benchmark, not a crash
    return e.what();
  }
}

kvm_cpuid_entry2 KvmSystem::cpuid_entry(uint32_t function, uint32_t index) const {
  for (const kvm_cpuid_entry2& e : cpuid_)
    if (e.function == function && (e.index == index || !(e.flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX)))
      return e;
  return {};
}

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
