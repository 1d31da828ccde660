// The torture detector catches an injected corruption exactly, and a short run of every scenario
// passes on this machine.
#include <gtest/gtest.h>

#include "bench/tests/live_registers.h"
#include "bench/xstate_permission.h"
#include "host/torture/torture.h"

namespace fpubench {
namespace {

class TortureTest : public ::testing::Test {
 protected:
  TortureSetup setup(double seconds, bool corrupt = false) {
    return {{layout_, *regs_, tsc_info(), topology_},
            std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(seconds * 1000)),
            &interrupted_,
            corrupt};
  }
  const TortureScenario& scenario(const std::string& name) {
    for (const TortureScenario& s : torture_scenarios())
      if (name == s.name) return s;
    throw std::logic_error("no scenario " + name);
  }
  testing::LiveRegisters live_;
  const XstateLayout& layout_ = live_.layout;
  std::unique_ptr<RegisterState>& regs_ = live_.regs;
  Topology topology_ = Topology::load();
  std::atomic<bool> interrupted_{false};
};

TEST_F(TortureTest, InjectedBitFlipIsReportedExactly) {
  ScenarioResult r = scenario("host/pingpong-same-pu").run(setup(5.0, true));
  // The hook flips bit 5 of byte 5 of XMM7 (standard-format byte 160 + 7 * 16 + 5 = 277) in the
  // partner after its 1000th wake-up; the partner's pattern is seed 2.
  XstateImage pattern = make_pattern(layout_, regs_->controllable(), 2);
  char expected[64], found[64];
  std::snprintf(expected, sizeof expected, "expected %02x", pattern.data()[277]);
  std::snprintf(found, sizeof found, "found %02x", pattern.data()[277] ^ 0x20);
  EXPECT_NE(
      r.corruption.find("partner thread's FPU state changed in round trip 1000: SSE differs at byte 277: "),
      std::string::npos)
      << r.corruption;
  EXPECT_NE(r.corruption.find(expected), std::string::npos) << r.corruption;
  EXPECT_NE(r.corruption.find(found), std::string::npos) << r.corruption;
  EXPECT_LE(r.count, 1001u);  // the measuring side notices within a round trip or two
}

TEST_F(TortureTest, ShortRunOfEveryScenarioPasses) {
  for (const TortureScenario& s : torture_scenarios()) {
    ScenarioResult r = s.run(setup(0.3));
    EXPECT_EQ(r.corruption, "") << s.name;
    if (r.skipped.empty()) {
      EXPECT_GT(r.count, 0u) << s.name << ": " << r.events;
    } else {
      std::printf("%s skipped: %s\n", s.name, r.skipped.c_str());
    }
  }
}

ScenarioResult ran(const char* name) {
  ScenarioResult r;
  r.name = name;
  r.count = 10;
  r.events = "10 signals";
  return r;
}

TEST(TortureVerdict, PassesOnlyWhenSomethingWasTested) {
  ScenarioResult skipped, empty;
  skipped.name = "kvm/exits";
  skipped.skipped = "no /dev/kvm";
  empty.name = "host/signals";
  EXPECT_STREQ(scenario_status(empty), "not run");
  EXPECT_EQ(torture_verdict({skipped}, {}, false).exit_status, 2);
  EXPECT_STREQ(torture_verdict({skipped, empty}, {}, false).name, "nothing tested");
  EXPECT_EQ(torture_verdict({skipped, ran("host/signals")}, {}, false).exit_status, 0);
}

TEST(TortureVerdict, CorruptionOutranksErrorsInterruptionAndNothingTested) {
  ScenarioResult bad = ran("host/fork-exec"), broken = ran("kvm/init-reset");
  bad.corruption = "parent after child 3: SSE differs";
  broken.error = "the scenario failed: KVM_GET_FPU on vCPU 1 failed: Bad file descriptor";
  EXPECT_EQ(torture_verdict({bad, broken}, {}, true).exit_status, 3);
  EXPECT_EQ(torture_verdict({ran("host/signals")}, {"x86/fpu: Bad FPU state detected"}, false).exit_status,
            3);
  EXPECT_EQ(torture_verdict({broken}, {}, true).exit_status, 4) << "an error is not a corruption";
  EXPECT_EQ(torture_verdict({ran("host/signals")}, {}, true).exit_status, 130);
}

TEST(TortureTable, NamesVerdictsAndKernelLogLines) {
  ScenarioResult ok = ran("host/signals"), bad, skipped;
  bad.name = "host/fork-exec";
  bad.corruption = "parent after child 3: SSE differs at byte 160: expected 00, found 01";
  skipped.name = "kvm/exits";
  skipped.skipped = "no /dev/kvm";
  std::string t = torture_table({ok, bad, skipped}, {"x86/fpu: Bad FPU state detected"}, true);
  EXPECT_NE(t.find("host/signals           ok          10 signals"), std::string::npos) << t;
  EXPECT_NE(t.find("host/fork-exec         CORRUPTED"), std::string::npos) << t;
  EXPECT_NE(t.find("    parent after child 3: SSE differs"), std::string::npos) << t;
  EXPECT_NE(t.find("kvm/exits              skipped     no /dev/kvm"), std::string::npos) << t;
  EXPECT_NE(t.find("kernel log: 1 FPU/xstate line\n    x86/fpu: Bad FPU state detected"), std::string::npos)
      << t;
  EXPECT_NE(t.find("(interrupted: a partial run)"), std::string::npos) << t;
}

}  // namespace
}  // namespace fpubench
