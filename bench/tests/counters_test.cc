#include "bench/counters.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

using testing::testdata;

TEST(EventResolver, EncodesLibpfmNamesWithModifiers) {
  EventResolver r;
  ResolvedEvent cs = r.resolve("perf::CONTEXT-SWITCHES");
  EXPECT_EQ(cs.kind, EventKind::kSoftware);
  EXPECT_EQ(cs.attr.type, unsigned(PERF_TYPE_SOFTWARE));
  EXPECT_EQ(cs.attr.config, unsigned(PERF_COUNT_SW_CONTEXT_SWITCHES));
  ResolvedEvent user_cycles = r.resolve("cycles:u");
  EXPECT_EQ(user_cycles.kind, EventKind::kHardware);
  EXPECT_EQ(user_cycles.attr.config, unsigned(PERF_COUNT_HW_CPU_CYCLES));
  EXPECT_TRUE(user_cycles.attr.exclude_kernel);
  EXPECT_FALSE(user_cycles.attr.exclude_user);
}

TEST(EventResolver, ResolvesTracepointsFromAnInjectedTracefs) {
  EventResolver r(Tracefs(testdata("tracefs-root")));
  ResolvedEvent ev = r.resolve("x86_fpu:x86_fpu_regs_activated");
  EXPECT_EQ(ev.kind, EventKind::kTracepoint);
  EXPECT_EQ(ev.attr.type, unsigned(PERF_TYPE_TRACEPOINT));
  EXPECT_EQ(ev.attr.config, 181u);
  EXPECT_EQ(r.resolve("kvm:kvm_fpu").attr.config, 37u);
}

TEST(EventResolver, UnknownEventListsCloseMatches) {
  EventResolver r(Tracefs(testdata("tracefs-root")));
  try {
    r.resolve("x86_fpu:x86_fpu_regs_activatd");
    FAIL();
  } catch (const std::invalid_argument& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("unknown event 'x86_fpu:x86_fpu_regs_activatd'"), std::string::npos) << m;
    EXPECT_NE(m.find("close matches: x86_fpu:x86_fpu_regs_activated"), std::string::npos) << m;
  }
  try {
    r.resolve("perf::CONTEXT-SWITCH");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("perf::CONTEXT-SWITCHES"), std::string::npos) << e.what();
  }
}

TEST(EventResolver, UnmountedTracefsSaysHowToMountIt) {
  EventResolver r(Tracefs(testdata("sysroot")));  // a tree without tracefs
  try {
    r.resolve("x86_fpu:x86_fpu_regs_activated");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mount -t tracefs nodev /sys/kernel/tracing"), std::string::npos)
        << e.what();
  }
}

TEST(EventResolver, FpuSetFollowsTracefs) {
  EventResolver r(Tracefs(testdata("tracefs-root")));
  auto fpu = r.set_members("fpu");
  EXPECT_EQ(fpu.front(), "x86_fpu:x86_fpu_regs_activated");
  EXPECT_NE(std::find(fpu.begin(), fpu.end(), "kvm:kvm_fpu"), fpu.end());
  EXPECT_NE(std::find(fpu.begin(), fpu.end(), "perf::CONTEXT-SWITCHES"), fpu.end());
  EXPECT_EQ(r.set_members("core").front(), "cycles");
  EXPECT_TRUE(r.set_members("cycles").empty());
}

TEST(PlanCounters, SetMembersThatCannotBeCountedAreDroppedExplicitOnesRefused) {
  EventResolver r(Tracefs(testdata("tracefs-root")));
  auto no_hardware = [](const ResolvedEvent& e) {
    return e.kind == EventKind::kHardware ? "cannot count '" + e.name + "': no hardware PMU here"
                                          : std::string();
  };
  CounterPlan plan = plan_counters("core,perf::CONTEXT-SWITCHES,perf::CONTEXT-SWITCHES", r, no_hardware);
  ASSERT_EQ(plan.events.size(), 1u);
  EXPECT_EQ(plan.events[0].name, "perf::CONTEXT-SWITCHES");
  EXPECT_EQ(plan.dropped.size(), 4u);
  EXPECT_EQ(dropped_summary(plan.dropped),
            "not counting cycles, instructions, branch-misses, cache-misses (no hardware PMU here)");
  try {
    plan_counters("fpu,cycles", r, no_hardware);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "cannot count 'cycles': no hardware PMU here");
  }
  EXPECT_THROW(plan_counters("nonsense-event", r, no_hardware), std::invalid_argument);
}

TEST(ExplainOpenFailure, NamesTheFixForEachCause) {
  ResolvedEvent cycles;
  cycles.name = "cycles";
  cycles.kind = EventKind::kHardware;
  std::string denied = explain_open_failure(EACCES, cycles, testdata("no-pmu-root"));
  EXPECT_NE(denied.find("perf_event_paranoid is 2"), std::string::npos) << denied;
  EXPECT_NE(denied.find("CAP_PERFMON"), std::string::npos);
  EXPECT_NE(denied.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_NE(explain_open_failure(ENOENT, cycles, testdata("no-pmu-root")).find("no hardware PMU"),
            std::string::npos);
  EXPECT_NE(explain_open_failure(ENOENT, cycles, testdata("pmu-root")).find("does not support"),
            std::string::npos);
  EXPECT_FALSE(has_hardware_pmu(testdata("no-pmu-root")));
  EXPECT_TRUE(has_hardware_pmu(testdata("pmu-root")));
}

TEST(CounterValue, ScalesMultiplexedCounts) {
  CounterValue v{1000, 200, 100};
  EXPECT_DOUBLE_EQ(v.scaled(), 2000.0);
  EXPECT_DOUBLE_EQ(v.running_fraction(), 0.5);
  CounterValue exact{7, 50, 50};
  EXPECT_DOUBLE_EQ(exact.scaled(), 7.0);
  EXPECT_DOUBLE_EQ(exact.running_fraction(), 1.0);
}

TEST(ThreadCounters, CountsThisThreadsContextSwitches) {
  EventResolver r;
  ResolvedEvent cs = r.resolve("perf::CONTEXT-SWITCHES");
  if (std::string why = probe_open(cs); !why.empty()) GTEST_SKIP() << why;
  std::vector<ResolvedEvent> events{cs};
  ThreadCounters c(events, {0});
  c.start();
  for (int i = 0; i < 20; ++i) usleep(100);  // each sleep switches out at least once
  c.stop();
  auto reading = c.read();
  ASSERT_EQ(reading.size(), 1u);
  EXPECT_GE(reading[0].total, 20.0);
  EXPECT_DOUBLE_EQ(reading[0].running_fraction, 1.0);
}

}  // namespace
}  // namespace fpubench
