#include "tsc_clock.h"

#include <gtest/gtest.h>

#include "testdata.h"

namespace fpubench {
namespace {

TEST(TscClock, ReadsAreOrderedAndMonotonic) {
  uint64_t prev = tsc_begin();
  for (int i = 0; i < 1000; ++i) {
    uint64_t a = tsc_begin(), b = tsc_end();
    EXPECT_GE(a, prev);
    EXPECT_GE(b, a);
    prev = b;
  }
}

TEST(TscClock, PrefersCpuidLeaf15WhenEnumerated) {
  EXPECT_EQ(make_tsc_info(testing::recorded_cpu("sapphire-rapids")).source, "cpuid.15h");
  EXPECT_EQ(make_tsc_info(testing::recorded_cpu("skylake-client")).source,
            "calibrated against CLOCK_MONOTONIC_RAW");
}

TEST(TscClock, ConvertsBetweenTicksAndNanoseconds) {
  TscInfo info{2.5e9, "test", true, 0};
  EXPECT_DOUBLE_EQ(info.ticks_to_ns(2500), 1000.0);
  EXPECT_DOUBLE_EQ(info.ns_to_ticks(1000), 2500.0);
}

TEST(TscClock, CalibrationGivesAPlausibleRate) {
  // A sanity range, not a timing assertion: catches unit mistakes (kHz vs Hz, ticks vs ns).
  double hz = calibrate_tsc_hz();
  EXPECT_GT(hz, 1e8);
  EXPECT_LT(hz, 1e10);
}

}  // namespace
}  // namespace fpubench
