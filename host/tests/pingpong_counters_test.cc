// Per-round-trip counts of a same-PU futex ping-pong, against what the kernel's FPU model implies.
//
// Both threads run on one PU and block in turn, so per round trip:
// - each thread is switched out once: 2 context switches;
// - each returns to user space while the other's registers are loaded, so the kernel restores
//   its own and fires x86_fpu_regs_activated: 2;
// - x86_fpu_regs_deactivated fires inside __switch_to, after perf has switched the outgoing task's
//   events off and before it switches the incoming task's on, so per-thread counting sees 0;
// - nothing forces a save outside a switch, a drop or a copy: 0 of the others.
// Timer ticks and other stray wake-ups may add a little; the tolerance allows 1%.
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <map>

#include "bench/counters.h"
#include "host/pingpong/pingpong_bench.h"

namespace fpubench {
namespace {

class PingPongCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"perf::CONTEXT-SWITCHES", "x86_fpu:x86_fpu_regs_activated", "x86_fpu:x86_fpu_regs_deactivated",
          "x86_fpu:x86_fpu_before_save", "x86_fpu:x86_fpu_dropped", "x86_fpu:x86_fpu_copy_dst"}) {
      ResolvedEvent ev;
      try {
        ev = resolver_.resolve(name);
      } catch (const std::invalid_argument& e) {
        GTEST_SKIP() << e.what();
      }
      if (std::string why = probe_open(ev); !why.empty()) GTEST_SKIP() << why;
      events_.push_back(ev);
    }
    regs_ = std::make_unique<RegisterState>(layout_, cpu_);
  }

  // Per-round-trip counts of `rounds` round trips, counted on the threads `which` selects.
  std::map<std::string, double> per_round_trip(unsigned rounds, bool ping, bool pong) {
    uint64_t avx512ish = regs_->controllable() & ~kAmxComponents;
    Placement same{"same-pu", topology_.pu(0), topology_.pu(0)};
    SessionSpec spec{Mechanism::kFutex, same, avx512ish, avx512ish, avx512ish, 0, {}};
    PingPongSession session(layout_, *regs_, topology_, spec);
    std::vector<pid_t> tids;
    if (ping) tids.push_back(pid_t(syscall(SYS_gettid)));
    if (pong) tids.push_back(session.partner_tid());
    ThreadCounters counters(events_, tids);
    std::vector<uint64_t> ticks(rounds);
    counters.start();
    unsigned done = session.round_trips(rounds, ticks.data());
    counters.stop();
    EXPECT_EQ(done, rounds) << session.failure();
    std::map<std::string, double> out;
    for (const CounterReading& r : counters.read()) {
      EXPECT_DOUBLE_EQ(r.running_fraction, 1.0) << r.name;  // software events never multiplex
      out[r.name] = r.total / rounds;
    }
    return out;
  }

  HardwareCpuid cpu_;
  XstateLayout layout_ = enumerate_xstate(cpu_);
  Topology topology_ = Topology::load();
  EventResolver resolver_;
  std::vector<ResolvedEvent> events_;
  std::unique_ptr<RegisterState> regs_;
};

TEST_F(PingPongCountersTest, SamePuFutexRoundTripMatchesTheFpuModel) {
  auto c = per_round_trip(3000, true, true);
  EXPECT_NEAR(c["perf::CONTEXT-SWITCHES"], 2.0, 0.02);
  EXPECT_NEAR(c["x86_fpu:x86_fpu_regs_activated"], 2.0, 0.02);
  EXPECT_EQ(c["x86_fpu:x86_fpu_regs_deactivated"], 0.0);
  EXPECT_LE(c["x86_fpu:x86_fpu_before_save"], 0.01);
  EXPECT_LE(c["x86_fpu:x86_fpu_dropped"], 0.01);
  EXPECT_LE(c["x86_fpu:x86_fpu_copy_dst"], 0.01);
}

TEST_F(PingPongCountersTest, EachThreadCarriesHalfTheSwitches) {
  auto ping = per_round_trip(2000, true, false);
  auto pong = per_round_trip(2000, false, true);
  EXPECT_NEAR(ping["perf::CONTEXT-SWITCHES"], 1.0, 0.01);
  EXPECT_NEAR(pong["perf::CONTEXT-SWITCHES"], 1.0, 0.01);
  EXPECT_NEAR(pong["x86_fpu:x86_fpu_regs_activated"], 1.0, 0.01);
}

}  // namespace
}  // namespace fpubench
