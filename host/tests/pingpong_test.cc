// The ping-pong machinery on this machine: state survives real context switches, and a
// corruption in either thread is caught and named.
#include <gtest/gtest.h>

#include "bench/tests/live_registers.h"
#include "bench/tests/testdata.h"
#include "bench/xstate_permission.h"
#include "host/pingpong/pingpong_bench.h"

namespace fpubench {
namespace {

class PingPongSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!layout_.xsave) GTEST_SKIP() << "requires XSAVE enabled by the OS";
    mask_ = regs_->controllable() & ~kAmxComponents;
  }
  SessionSpec spec(Mechanism m, const Placement& p) { return {m, p, mask_, mask_, mask_, 0, {}}; }
  testing::LiveRegisters live_;
  const XstateLayout& layout_ = live_.layout;
  std::unique_ptr<RegisterState>& regs_ = live_.regs;
  Topology topology_ = Topology::load();
  uint64_t mask_ = 0;
};

TEST_F(PingPongSessionTest, StateSurvivesSamePuSwitchesForEveryMechanism) {
  Placement same{"same-pu", topology_.pu(0), topology_.pu(0)};
  for (Mechanism m : {Mechanism::kFutex, Mechanism::kEventfd, Mechanism::kPipe, Mechanism::kUnixSocket,
                      Mechanism::kSchedYield}) {
    PingPongSession session(layout_, *regs_, topology_, spec(m, same));
    uint64_t ticks[200];
    EXPECT_EQ(session.round_trips(200, ticks), 200u) << session.failure();
    for (uint64_t t : ticks) EXPECT_GT(t, 0u);
  }
}

TEST_F(PingPongSessionTest, StateSurvivesCrossPuSpin) {
  if (topology_.pu_count() < 2) GTEST_SKIP() << "requires two PUs";
  Placement cross{"cross", topology_.pu(0), topology_.pu(1)};
  PingPongSession session(layout_, *regs_, topology_, spec(Mechanism::kSpin, cross));
  uint64_t ticks[500];
  EXPECT_EQ(session.round_trips(500, ticks), 500u) << session.failure();
}

TEST_F(PingPongSessionTest, PartnerCorruptionIsCaughtAndNamed) {
  Placement same{"same-pu", topology_.pu(0), topology_.pu(0)};
  // The partner's pattern (seed 2, see PingPongSession) with one bit of XMM5 flipped.
  XstateImage corrupted = make_pattern(layout_, mask_, 2);
  uint32_t xmm5_byte3 = 160 + 5 * 16 + 3;
  corrupted.data()[xmm5_byte3] ^= 0x01;
  SessionSpec s = spec(Mechanism::kFutex, same);
  s.hook = {50, &corrupted, component_bit(kSseState)};
  PingPongSession session(layout_, *regs_, topology_, s);
  uint64_t ticks[100];
  unsigned done = session.round_trips(100, ticks);
  EXPECT_LT(done, 100u);
  EXPECT_GE(done, 49u);
  std::string f = session.failure();
  EXPECT_NE(f.find("partner thread"), std::string::npos) << f;
  EXPECT_NE(f.find("SSE differs at byte " + std::to_string(xmm5_byte3)), std::string::npos) << f;
}

TEST(PlanPingPong, MechanismsGoWhereTheyCanRun) {
  Topology t = Topology::from_xml_file(testing::testdata("topology/two-socket-smt.xml"));
  SkipList skipped;
  auto states = fpu_state_variants(enumerate_xstate(testing::recorded_cpu("zen4-genoa")),
                                   "XCR0 does not enable AMX", skipped);
  auto plan = plan_pingpong(resolve_placements(t), states, skipped);
  auto has = [&](const std::string& n) {
    for (auto& v : plan)
      if (row_name(v.row) == n) return true;
    return false;
  };
  EXPECT_TRUE(has("pingpong/futex/cross-package/avx512"));
  EXPECT_TRUE(has("pingpong/yield/same-pu/avx512-pong"));
  EXPECT_FALSE(has("pingpong/yield/smt/none"));
  EXPECT_TRUE(has("pingpong/spin/smt/none"));
  EXPECT_FALSE(has("pingpong/spin/same-pu/none"));
  EXPECT_FALSE(has("pingpong/futex/same-pu/amx"));
  // 4 mechanisms x 4 placements + yield x 1 + spin x 3, each x 5 states.
  EXPECT_EQ(plan.size(), (4u * 4 + 1 + 3) * 5);
}

TEST(PlanPingPong, MissingStatesAndPlacementsAreSkippedWithReasons) {
  Topology t = Topology::from_xml_file(testing::testdata("topology/this-machine-2pu.xml"));
  SkipList skipped;
  auto states =
      fpu_state_variants(enumerate_xstate(testing::recorded_cpu("skylake-client")), "no AMX", skipped);
  ASSERT_EQ(states.size(), 3u);  // none, sse, avx
  plan_pingpong(resolve_placements(t), states, skipped);
  auto why = [&](const std::string& what) {
    for (auto& s : skipped)
      if (s.what == what) return s.why;
    return std::string();
  };
  EXPECT_EQ(why("*/avx512"), "XCR0 does not enable opmask|ZMM_Hi256|Hi16_ZMM");
  EXPECT_EQ(why("*/amx"), "no AMX");
  EXPECT_EQ(why("pingpong/*/smt/*"), "no core has two PUs (SMT is off or absent)");
  EXPECT_EQ(why("pingpong/spin/same-pu/*"),
            "two spinning threads on one PU hand over only when the scheduler preempts one");
}

TEST(PingPongChecks, CompareTheSameComponentsForComparedVariants) {
  HardwareCpuid cpu;
  XstateLayout l = enumerate_xstate(cpu);
  RegisterState regs(l, cpu);
  FpuStateVariant none{"none", 0, 0}, avx512{"avx512", 0xe7, 0xe7};
  EXPECT_EQ(check_mask_for(regs, none), check_mask_for(regs, avx512));
}

}  // namespace
}  // namespace fpubench
