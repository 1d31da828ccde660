// The VMM on this machine's /dev/kvm: set-up, the call channel, and how guest failures surface.
#include <dirent.h>

#include <gtest/gtest.h>
#include <cstring>

#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_system.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"

namespace fpubench {
namespace {

class KvmVmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    kvm_ = KvmSystem::get(&why);
    if (!kvm_) GTEST_SKIP() << why;
  }
  std::string error_of(guest_payload_id payload, uint64_t arg) {
    Vm vm(*kvm_);
    Vcpu vcpu(vm, 0, payload, arg);
    try {
      run_to_call(vm, vcpu, payload);
    } catch (const GuestError& e) {
      corrupted_ = e.fpu_corruption();
      return e.what();
    }
    return "";
  }
  const KvmSystem* kvm_ = nullptr;
  bool corrupted_ = false;
};

TEST_F(KvmVmTest, StateHelpersReadWhatTheGuestHoldsAndNameTheIoctlWhenTheyFail) {
  Vm vm(*kvm_);
  Vcpu vcpu(vm, 0, PAYLOAD_FPU_STATE_IO, 0);
  GuestCall c = expect_call(vm, vcpu, PAYLOAD_FPU_STATE_IO, UCALL_SYNC);  // its XMM pattern is loaded
  const uint8_t* pattern = vm.at<uint8_t>(c.args[0]);
  kvm_fpu fpu = vcpu.fpu();
  EXPECT_EQ(std::memcmp(fpu.xmm, pattern, sizeof fpu.xmm), 0);
  try {
    kvm_xsave xs = vcpu.xsave();
    // The XSAVE legacy region holds XMM0-15 at byte 160.
    EXPECT_EQ(std::memcmp(reinterpret_cast<const uint8_t*>(xs.region) + 160, pattern, 256), 0);
    vcpu.set_xsave(xs);
  } catch (const std::runtime_error& e) {
    // The nested PVM backend refuses KVM_GET_XSAVE (EINVAL): the failure must name the ioctl.
    EXPECT_NE(std::string(e.what()).find("KVM_GET_XSAVE on vCPU 0 failed: "), std::string::npos) << e.what();
    std::printf("KVM_GET_XSAVE is refused here: %s\n", e.what());
  }
  EXPECT_EQ(vcpu.mp_state().mp_state, uint32_t(KVM_MP_STATE_RUNNABLE));
  try {
    vcpu.set_mp_state({0xdead});
    FAIL() << "KVM accepted mp_state 0xdead";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("KVM_SET_MP_STATE on vCPU 0 failed: "), std::string::npos)
        << e.what();
  }
}

TEST_F(KvmVmTest, AGuestThatFindsItsFpuStateChangedReportsCorruptionNotAnAssertion) {
  std::string e = error_of(PAYLOAD_SELFTEST_FPU_CORRUPT, 0);
  EXPECT_TRUE(corrupted_) << e;
  EXPECT_NE(e.find("the guest's FPU state changed"), std::string::npos) << e;
  EXPECT_NE(e.find("expected 0x"), std::string::npos) << e;
}

TEST_F(KvmVmTest, CallChannelCarriesValuesBothWays) {
  Vm vm(*kvm_);
  Vcpu vcpu(vm, 0, PAYLOAD_SELFTEST_SYNC, 41);
  GuestCall c = expect_call(vm, vcpu, PAYLOAD_SELFTEST_SYNC, UCALL_SYNC);
  EXPECT_EQ(c.args[0], 41u);
  EXPECT_EQ(c.args[1], 42u);
  EXPECT_EQ(c.args[2], 0u);  // vCPU id
  EXPECT_EQ(c.args[3], 0xfeedu);
  expect_call(vm, vcpu, PAYLOAD_SELFTEST_SYNC, UCALL_DONE);
}

TEST_F(KvmVmTest, SecondVcpuKnowsItsId) {
  Vm vm(*kvm_);
  Vcpu v0(vm, 0, PAYLOAD_SELFTEST_SYNC, 1), v1(vm, 1, PAYLOAD_SELFTEST_SYNC, 7);
  EXPECT_EQ(expect_call(vm, v1, PAYLOAD_SELFTEST_SYNC, UCALL_SYNC).args[2], 1u);
  EXPECT_EQ(expect_call(vm, v0, PAYLOAD_SELFTEST_SYNC, UCALL_SYNC).args[0], 1u);
}

TEST_F(KvmVmTest, GuestAssertionIsACleanErrorWithFileLineAndValues) {
  std::string e = error_of(PAYLOAD_SELFTEST_ASSERT, 7);
  EXPECT_NE(e.find("guest payload selftest_assert on vCPU 0: assertion failed at"), std::string::npos) << e;
  EXPECT_NE(e.find("selftest.c:"), std::string::npos) << e;
  EXPECT_NE(e.find("this_cpu()->payload_arg == 12345 (0x7 vs 0x3039)"), std::string::npos) << e;
}

TEST_F(KvmVmTest, UnexpectedExitIsReportedWithPortAndRip) {
  std::string e = error_of(PAYLOAD_SELFTEST_BAD_PORT, 0);
  EXPECT_NE(e.find("guest payload selftest_bad_port on vCPU 0: unexpected KVM_EXIT_IO out port 0xe3 (1 byte) "
                   "at RIP 0x2"),
            std::string::npos)
      << e;
}

TEST_F(KvmVmTest, GuestExceptionIsReportedWithVectorAndRip) {
  std::string e = error_of(PAYLOAD_SELFTEST_UD2, 0);
  EXPECT_FALSE(corrupted_);
  EXPECT_NE(e.find("unexpected exception #UD (vector 6, error code 0x0) at RIP 0x2"), std::string::npos) << e;
}

size_t open_fds() {
  size_t n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

TEST_F(KvmVmTest, NoFdLeaksOverManyVmLifetimes) {
  {  // warm-up: lazily opened things (the KvmSystem fd) open once
    Vm vm(*kvm_);
    Vcpu vcpu(vm, 0, PAYLOAD_SELFTEST_SYNC, 0);
  }
  size_t before = open_fds();
  for (int i = 0; i < 50; ++i) {
    Vm vm(*kvm_);
    Vcpu v0(vm, 0, PAYLOAD_SELFTEST_SYNC, 0), v1(vm, 1, PAYLOAD_SELFTEST_SYNC, 0);
    vm.irqfd(0, GUEST_VECTOR_IRQFD);
    vm.ioeventfd(GUEST_IOEVENTFD_PORT);
    expect_call(vm, v0, PAYLOAD_SELFTEST_SYNC, UCALL_SYNC);
  }
  EXPECT_EQ(open_fds(), before);
}

}  // namespace
}  // namespace fpubench
