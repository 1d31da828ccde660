#include "host/plan/suite_plan.h"

#include <gtest/gtest.h>

namespace fpubench {
namespace {

TEST(Progress, ProbesOfARepetitionCountOnceAndAdjacentRepetitionsTwice) {
  Progress p(6, false);
  p.started("a", 1);
  p.started("a", 10);  // probes of a's first repetition
  p.started("a", 100);
  p.started("b", 1);
  p.started("b", 50);
  p.started("a", 100);  // a's second repetition, with the count it settled on
  p.started("a", 100);  // and its third, right after
  p.started("b", 50);
  EXPECT_EQ(p.done(), 5u);
}

}  // namespace
}  // namespace fpubench

namespace fpubench {
namespace {

// A finished plan of one row of each kind a delay treats differently.
SuitePlan four_rows() {
  SuitePlan plan;
  auto none = [](benchmark::State&, const PlannedBenchmark&) {};
  plan.add({.suite = "pingpong", .family = "pingpong/futex/same-pu", .variant = "none"}, none,
           Delayable::kRoundTrip);
  plan.add({.suite = "pingpong",
            .family = "pingpong/futex/same-pu",
            .variant = "avx",
            .baseline = "pingpong/futex/same-pu/none",
            .cost_figure = "cost_p50_ns"},
           none, Delayable::kRoundTrip);
  plan.add({.suite = "signal", .family = "signal/self", .variant = "avx", .cost_figure = "cost_p50_ns"}, none,
           Delayable::kHeldSide);
  plan.add({.suite = "xsave", .family = "xsave/XSAVE", .variant = "avx/init"}, none);
  return plan;
}

TEST(Delays, ARunDelaysEachRoundTripAndTheHeldSideOfPairedRowsOnly) {
  SuitePlan plan = four_rows();
  apply_delays(plan, {.inject_ns = 300, .inject_cost_ns = 40});
  const auto& b = plan.benchmarks;
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].delays.round_trip_ns, 300);  // no held side: no cost delay
  EXPECT_EQ(b[0].delays.held_side_ns, -1);
  EXPECT_EQ(b[1].delays.round_trip_ns, 300);
  EXPECT_EQ(b[1].delays.held_side_ns, 40);
  EXPECT_EQ(b[2].delays.round_trip_ns, -1);  // a signal has no partner to wait in
  EXPECT_EQ(b[2].delays.held_side_ns, 40);
  EXPECT_EQ(b[3].delays.round_trip_ns, -1);  // not a round trip: no wait code at all
  EXPECT_EQ(b[3].delays.held_side_ns, -1);
  SuitePlan plain = four_rows();
  apply_delays(plain, {});
  for (const PlannedBenchmark& p : plain.benchmarks) EXPECT_LT(p.delays.round_trip_ns, 0) << p.name;
}

TEST(Delays, ASelfCheckIsItsRowThreeTimesAndNothingElse) {
  SuitePlan plan = four_rows();
  apply_delays(plan, {.selfcheck = "pingpong/futex/same-pu/avx", .inject_ns = 100, .inject_cost_ns = 20});
  ASSERT_EQ(plan.benchmarks.size(), 3u);
  const char* variants[] = {"a", "a-again", "inject"};
  for (size_t i = 0; i < 3; ++i) {
    const PlannedBenchmark& b = plan.benchmarks[i];
    EXPECT_EQ(b.name, std::string("selfcheck/") + variants[i] + "/pingpong/futex/same-pu/avx");
    EXPECT_EQ(b.name, row_name(b.row));
    EXPECT_EQ(b.row.selfcheck, variants[i]);
    EXPECT_EQ(b.row.baseline, "");  // compared with each other, not costed
    // All three run the wait code; only the last waits.
    EXPECT_EQ(b.delays.round_trip_ns, i == 2 ? 100 : 0);
    EXPECT_EQ(b.delays.held_side_ns, i == 2 ? 20 : 0);
  }
  EXPECT_EQ(plan.context.back(),
            (std::pair<std::string, std::string>{"selfcheck", "pingpong/futex/same-pu/avx"}));
}

TEST(Delays, ASelfCheckOfWhatCannotBeDelayedIsRefused) {
  for (const char* name : {"signal/self/avx", "xsave/XSAVE/avx/init", "pingpong/futex/same-pu/sse"}) {
    SuitePlan plan = four_rows();
    EXPECT_THROW(apply_delays(plan, {.selfcheck = name, .inject_ns = 100}), std::invalid_argument) << name;
  }
  SuitePlan plan = four_rows();  // a cost delay needs a held side
  EXPECT_THROW(apply_delays(plan, {.selfcheck = "pingpong/futex/same-pu/none", .inject_cost_ns = 10}),
               std::invalid_argument);
}

}  // namespace
}  // namespace fpubench
