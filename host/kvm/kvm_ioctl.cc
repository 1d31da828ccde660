#include "host/kvm/kvm_ioctl.h"

#include <cstring>

namespace fpubench {

std::string describe_kvm_failure(const std::string& ioctl, const std::string& target, int error) {
  std::string what = ioctl + " on " + target + " failed: " + std::strerror(error);
  if (error == EIO && target != "/dev/kvm")
    what += " (KVM has killed this VM after an internal error or a KVM_BUG_ON: read the kernel log, dmesg)";
  return what;
}

KvmIoctlError::KvmIoctlError(const std::string& ioctl, const std::string& target, int error)
    : std::runtime_error(describe_kvm_failure(ioctl, target, error)), error_(error) {}

}  // namespace fpubench
