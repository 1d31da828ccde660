// The checked ioctl layer, without KVM: messages name the ioctl, the target and errno, and EIO
// says the VM was killed. A KVM ioctl on a file that is not KVM's fails like any refused call.
#include "host/kvm/kvm_ioctl.h"

#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace fpubench {
namespace {

TEST(KvmIoctlTest, FailureNamesTheIoctlTheTargetAndErrno) {
  EXPECT_EQ(describe_kvm_failure("KVM_SET_SREGS", "vCPU 1", EINVAL),
            "KVM_SET_SREGS on vCPU 1 failed: Invalid argument");
}

TEST(KvmIoctlTest, EioOnAVmSaysKvmKilledItAndWhereToReadWhy) {
  KvmIoctlError e("KVM_RUN", "vCPU 0", EIO);
  EXPECT_TRUE(e.vm_killed());
  std::string what = e.what();
  EXPECT_NE(what.find("KVM_RUN on vCPU 0 failed: Input/output error"), std::string::npos) << what;
  EXPECT_NE(what.find("KVM has killed this VM"), std::string::npos) << what;
  EXPECT_NE(what.find("dmesg"), std::string::npos) << what;
  EXPECT_FALSE(KvmIoctlError("KVM_RUN", "vCPU 0", EINTR).vm_killed());
}

TEST(KvmIoctlTest, EioFromDevKvmItselfKillsNoVm) {
  EXPECT_EQ(describe_kvm_failure("KVM_CREATE_VM", "/dev/kvm", EIO),
            "KVM_CREATE_VM on /dev/kvm failed: Input/output error");
}

TEST(KvmIoctlTest, ARefusedCallThrowsAndAnAcceptedOneReturnsItsResult) {
  int fd = eventfd(0, EFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  try {
    VCPU_IOCTL(fd, 3, KVM_GET_MP_STATE, nullptr);
    ADD_FAILURE() << "KVM_GET_MP_STATE on an eventfd succeeded";
  } catch (const KvmIoctlError& e) {
    EXPECT_EQ(std::string(e.what()),
              "KVM_GET_MP_STATE on vCPU 3 failed: " + std::string(std::strerror(ENOTTY)));
    EXPECT_EQ(e.error(), ENOTTY);
  }
  EXPECT_EQ(checked_kvm_result(7, "KVM_CHECK_EXTENSION", "/dev/kvm"), 7);
  close(fd);
}

}  // namespace
}  // namespace fpubench
