// kvm:kvm_fpu per operation, against KVM's FPU model since 2017: the guest FPU is loaded when
// KVM_RUN enters and put back when it returns to user space, so
// - a PIO exit round trip (one KVM_RUN) fires kvm_fpu twice;
// - a vCPU woken by irqfd from a host thread on its own PU stays inside KVM_RUN, so however often
//   it is scheduled out and in, kvm_fpu does not fire per round trip (before the change it fired
//   twice per reschedule).
#include <gtest/gtest.h>

#include <map>

#include "bench/counters.h"
#include "host/harness/timed_benchmark.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_timed.h"

namespace fpubench {
namespace {

class KvmFpuCountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    kvm_ = KvmSystem::get(&why);
    if (!kvm_) GTEST_SKIP() << why;
    for (const char* name : {"kvm:kvm_fpu", "perf::CONTEXT-SWITCHES"}) {
      try {
        ResolvedEvent ev = resolver_.resolve(name);
        if (std::string no = probe_open(ev); !no.empty()) GTEST_SKIP() << no;
        events_.push_back(ev);
      } catch (const std::invalid_argument& e) {
        GTEST_SKIP() << e.what();
      }
    }
  }
  std::map<std::string, double> per_op(ThreadCounters& c, double ops) {
    std::map<std::string, double> out;
    for (const CounterReading& r : c.read()) out[r.name] = r.total / ops;
    return out;
  }
  const KvmSystem* kvm_ = nullptr;
  EventResolver resolver_;
  std::vector<ResolvedEvent> events_;
  Topology topology_ = Topology::load();
};

TEST_F(KvmFpuCountTest, PioExitRoundTripLoadsAndPutsTheGuestFpuOnce) {
  Vm vm(*kvm_);
  Vcpu vcpu(vm, 0, PAYLOAD_PIO_LOOP, GUEST_FPU_SSE);
  expect_call(vm, vcpu, PAYLOAD_PIO_LOOP, UCALL_SYNC);
  ThreadCounters c(events_, {current_tid()});
  constexpr int kRuns = 300;
  c.start();
  for (int i = 0; i < kRuns; ++i) {
    uint64_t ticks;
    int error = 0;
    ASSERT_EQ(timed_kvm_run(vcpu.fd(), &vcpu.state(), GUEST_BENCH_PORT, nullptr, &ticks, &error),
              RunOutcome::kExpectedExit)
        << vcpu.describe_exit();
  }
  c.stop();
  EXPECT_DOUBLE_EQ(per_op(c, kRuns)["kvm:kvm_fpu"], 2.0);
}

TEST_F(KvmFpuCountTest, SamePuIrqfdWakeupsDoNotSwapTheGuestFpu) {
  Placement same{"same-pu", topology_.pu(0), topology_.pu(0)};
  IrqfdPingPong pp(*kvm_, topology_, same, GUEST_FPU_SSE);
  ThreadCounters c(events_, {current_tid(), pp.vcpu_tid()});
  constexpr int kRounds = 300;
  c.start();
  for (int i = 0; i < kRounds; ++i) {
    uint64_t ticks;
    ASSERT_TRUE(pp.round_trip(&ticks)) << pp.stop();
  }
  c.stop();
  EXPECT_EQ(pp.stop(), "");
  auto counts = per_op(c, kRounds);
  // Both threads sleep once per round trip on the shared PU: two switches, no FPU swap.
  EXPECT_GE(counts["perf::CONTEXT-SWITCHES"], 1.9);
  EXPECT_LE(counts["kvm:kvm_fpu"], 0.01);
}

}  // namespace
}  // namespace fpubench
