// Every KVM ioctl fpubench issues goes through here (and, for the three whose argument ends in a
// flexible array, through kvm_flex_ioctl.c), in the manner of the KVM selftests'
// kvm_ioctl/vm_ioctl/vcpu_ioctl: each call is checked, and a failure names the ioctl, what it was
// issued on (/dev/kvm, the VM, vCPU n) and errno. EIO from a VM or vCPU means KVM has killed the
// VM (a KVM_BUG_ON or an internal error); the message says so and where to read why.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

#include <linux/kvm.h>
#include <sys/ioctl.h>

namespace fpubench {

class KvmIoctlError : public std::runtime_error {
 public:
  KvmIoctlError(const std::string& ioctl, const std::string& target, int error);
  int error() const { return error_; }
  // The VM is dead: every further ioctl on it fails the same way.
  bool vm_killed() const { return error_ == EIO; }

 private:
  int error_;
};

// "KVM_SET_SREGS on vCPU 1 failed: Invalid argument", with the EIO explanation where it applies.
std::string describe_kvm_failure(const std::string& ioctl, const std::string& target, int error);

// The result of an ioctl already issued: returns it when it is not negative, else throws a
// KvmIoctlError from errno.
inline int checked_kvm_result(int rc, const char* ioctl, const std::string& target) {
  if (rc < 0) throw KvmIoctlError(ioctl, target, errno);
  return rc;
}

template <typename Arg>
int checked_kvm_ioctl(int fd, unsigned long request, const char* ioctl_name, const std::string& target,
                      Arg arg) {
  return checked_kvm_result(::ioctl(fd, request, arg), ioctl_name, target);
}

// The timed KVM_RUN, unchecked: the clock must stop right after the syscall, and nothing else may
// run between (kvm_timed). The caller judges the result, with describe_kvm_failure on failure.
inline int unchecked_kvm_run(int vcpu_fd) { return ::ioctl(vcpu_fd, KVM_RUN, 0); }

}  // namespace fpubench

// The request's name goes into the message, as the selftests' macros do.
#define KVM_IOCTL(fd, request, arg) \
  ::fpubench::checked_kvm_ioctl((fd), (request), #request, "/dev/kvm", (arg))
#define VM_IOCTL(vm_fd, request, arg) \
  ::fpubench::checked_kvm_ioctl((vm_fd), (request), #request, "the VM", (arg))
#define VCPU_IOCTL(vcpu_fd, vcpu_id, request, arg) \
  ::fpubench::checked_kvm_ioctl((vcpu_fd), (request), #request, "vCPU " + std::to_string(vcpu_id), (arg))
