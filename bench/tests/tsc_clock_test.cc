#include "bench/tsc_clock.h"

#include <gtest/gtest.h>

#include "bench/tests/testdata.h"

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

TEST(TscPlan, TakesTheRateFromCpuidLeaf15WhenEnumerated) {
  EXPECT_TRUE(plan_tsc(testing::recorded_cpu("sapphire-rapids")).cpuid_hz.has_value());
  EXPECT_FALSE(plan_tsc(testing::recorded_cpu("skylake-client")).cpuid_hz.has_value());
}

TEST(TscPlan, EndsIntervalsWithRdtscpWhereTheCpuHasIt) {
  for (const char* name : {"sapphire-rapids", "zen4-genoa", "kvm-guest-amx-this-machine"})
    EXPECT_EQ(plan_tsc(testing::recorded_cpu(name)).read, TscRead::kRdtscp) << name;
}

TEST(TscPlan, FallsBackToLfenceRdtscWithoutRdtscp) {
  // The recorded AMD family 0x1a VM hides RDTSCP.
  TscPlan plan = plan_tsc(testing::recorded_cpu("zen5-vm-no-rdtscp"));
  EXPECT_EQ(plan.read, TscRead::kLfenceRdtsc);
  EXPECT_STREQ(tsc_read_name(plan.read), "lfence;rdtsc");
  EXPECT_TRUE(plan.invariant);
  EXPECT_EQ(tsc_warning(plan), "");
}

TEST(TscPlan, RefusesACpuWithoutATsc) {
  RecordedCpuid no_tsc = RecordedCpuid::parse(
      "0x00000000 0x00: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
      "0x00000001 0x00: eax=0x00a00f11 ebx=0x0 ecx=0x0 edx=0x0\n");
  try {
    plan_tsc(no_tsc);
    FAIL() << "accepted a CPU without a TSC";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no time-stamp counter"), std::string::npos) << e.what();
  }
}

TEST(TscPlan, WarnsAboutATscThatIsNotInvariant) {
  TscPlan plan;
  plan.invariant = false;
  EXPECT_NE(tsc_warning(plan).find("not invariant"), std::string::npos);
}

TEST(TscClock, LfenceRdtscWorksOnEveryCpuAndIsMeasuredWithItsOwnOverhead) {
  // The fallback must run here whatever this CPU is; its overhead is measured like RDTSCP's.
  TscPlan plan = plan_tsc(HardwareCpuid());
  TscRead live = plan.read;
  plan.read = TscRead::kLfenceRdtsc;
  plan.cpuid_hz = 1e9;  // skip the calibration: only the read method matters here
  TscInfo info = measure_tsc(plan);
  EXPECT_EQ(info.read, TscRead::kLfenceRdtsc);
  EXPECT_GT(info.overhead_ticks, 0u);
  uint64_t a = tsc_begin(), b = tsc_end();
  EXPECT_GE(b, a);
  plan.read = live;
  measure_tsc(plan);  // put the process's method back
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
