#include "host/pingpong/pingpong_bench.h"

#include <benchmark/benchmark.h>

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <memory>

#include "bench/latency_histogram.h"
#include "host/harness/counting.h"
#include "host/harness/integrity.h"
#include "host/harness/round_trip_report.h"
#include "host/pingpong/pingpong_loop.h"
#include "host/pingpong/pingpong_session.h"
#include "host/plan/selfcheck.h"

namespace fpubench {
namespace {

struct MechanismRow {
  const char* name;
  Mechanism mechanism;
  enum { kAny, kSamePuOnly, kCrossPuOnly } where;
  const char* why_not;
};

const MechanismRow kMechanisms[] = {
    {"futex", Mechanism::kFutex, MechanismRow::kAny, ""},
    {"eventfd", Mechanism::kEventfd, MechanismRow::kAny, ""},
    {"pipe", Mechanism::kPipe, MechanismRow::kAny, ""},
    {"unix", Mechanism::kUnixSocket, MechanismRow::kAny, ""},
    {"yield", Mechanism::kSchedYield, MechanismRow::kSamePuOnly,
     "sched_yield hands the CPU over only between threads on one PU"},
    {"spin", Mechanism::kSpin, MechanismRow::kCrossPuOnly,
     "two spinning threads on one PU hand over only when the scheduler preempts one"},
};

void run_pingpong(benchmark::State& st, const PingPongSetup& s, const PingPongVariant& v) {
  SessionSpec spec{v.mechanism,
                   v.placement,
                   v.state.ping_mask,
                   v.state.pong_mask,
                   check_mask_for(s.regs, v.state),
                   inject_ticks(s.tsc, v.inject_ns),
                   {}};
  LatencyRecorder rec;
  std::unique_ptr<PingPongSession> made;
  std::unique_ptr<BenchmarkCounting> counting;
  try {
    made = std::make_unique<PingPongSession>(s.layout, s.regs, s.topology, spec);
    // Both threads: the partner is where half of the switches happen.
    // On one PU each wake-up preempts the waker, and sched_yield counts as involuntary too: there
    // involuntary switches are the benchmark itself, not a disturbance.
    bool own_switches = v.mechanism == Mechanism::kSchedYield || v.placement.first == v.placement.second;
    counting = std::make_unique<BenchmarkCounting>(std::vector<pid_t>{current_tid(), made->partner_tid()},
                                                   !own_switches);
  } catch (const std::exception& e) {
    fail_benchmark(st, "pingpong", v.name, e);
    return;
  }
  {
    PingPongSession& session = *made;
    counting->start();
    time_round_trips(st, s.tsc, rec, [&](uint64_t* ticks) {
      if (session.round_trips(1, ticks) == 1) return true;
      fail_benchmark(st, "pingpong", v.name, session.failure(), true);
      return false;
    });
    counting->stop();
  }
  made.reset();  // stops and joins the partner
  report_round_trips(st, rec, s.tsc, v.name, s.histograms);
  counting->report(st, double(rec.count()));
}

void run_signal(benchmark::State& st, const PingPongSetup& s, const std::string& name,
                const FpuStateVariant& v) {
  static const bool installed = (install_returning_handler(SIGUSR1), true);
  (void)installed;
  XstateImage image = make_pattern(s.layout, v.ping_mask, 1);
  StateCheck check(s.layout, s.regs, image, check_mask_for(s.regs, v));
  ScopedThreadBinding binding(s.topology, s.topology.pu(0));
  LatencyRecorder rec;
  std::unique_ptr<BenchmarkCounting> counting;
  try {
    counting = std::make_unique<BenchmarkCounting>(std::vector<pid_t>{current_tid()});
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
    return;
  }
  counting->start();
  time_round_trips(st, s.tsc, rec, [&](uint64_t* ticks) {
    if (signal_round_trips(check, SIGUSR1, 1, ticks) == 1) return true;
    fail_benchmark(st, "signal", name,
                   "the signalled thread after signal delivery " + std::to_string(rec.count() + 1) + ": " +
                       check.mismatch().describe(),
                   true);
    return false;
  });
  counting->stop();
  report_round_trips(st, rec, s.tsc, name, s.histograms);
  counting->report(st, double(rec.count()));
}

}  // namespace

std::vector<FpuStateVariant> fpu_state_variants(const XstateLayout& l, const std::string& amx_unavailable,
                                                SkipList& skipped) {
  std::vector<FpuStateVariant> out{{"none", 0, 0}};
  auto both = [&](const char* name, uint64_t mask) {
    if (!l.enables(mask)) {
      skipped.push_back(
          {std::string("*/") + name, "XCR0 does not enable " + describe_components(mask & ~l.xcr0)});
      return false;
    }
    out.push_back({name, mask, mask});
    return true;
  };
  both("sse", kSseComponents);
  both("avx", kAvxComponents);
  bool avx512 = both("avx512", kAvx512Components);
  if (avx512) out.push_back({"avx512-pong", 0, kAvx512Components});
  uint64_t amx = (avx512 ? kAvx512Components : kAvxComponents) | kAmxComponents;
  if (!amx_unavailable.empty()) {
    skipped.push_back({"*/amx", amx_unavailable});
  } else if (both("amx", amx)) {
    out.push_back({"amx-pong", 0, amx});
  }
  return out;
}

std::vector<PingPongVariant> plan_pingpong(const Placements& placements,
                                           const std::vector<FpuStateVariant>& states, SkipList& skipped) {
  std::vector<PingPongVariant> plan;
  for (const UnavailablePlacement& u : placements.unavailable)
    skipped.push_back({"pingpong/*/" + u.name + "/*", u.why});
  for (const MechanismRow& m : kMechanisms) {
    for (const Placement& p : placements.available) {
      std::string prefix = std::string("pingpong/") + m.name + "/" + p.name;
      bool wrong_place = (m.where == MechanismRow::kSamePuOnly && !p.same_pu()) ||
                         (m.where == MechanismRow::kCrossPuOnly && p.same_pu());
      if (wrong_place) {
        skipped.push_back({prefix + "/*", m.why_not});
        continue;
      }
      for (const FpuStateVariant& s : states) plan.push_back({prefix + "/" + s.name, m.mechanism, p, s});
    }
  }
  return plan;
}

uint64_t check_mask_for(const RegisterState& regs, const FpuStateVariant& v) {
  uint64_t mask = regs.controllable();
  if (!((v.ping_mask | v.pong_mask) & kAmxComponents)) mask &= ~kAmxComponents;
  return mask;
}

void plan_pingpong_suite(const PingPongSetup& s, SuitePlan& plan) {
  std::vector<FpuStateVariant> states = fpu_state_variants(s.layout, s.amx_unavailable, plan.skipped);
  for (const Placement& p : s.placements.available)
    plan.context.emplace_back("placement." + p.name,
                              s.topology.location_of(p.first) + "," + s.topology.location_of(p.second));
  if (s.inject_ns > 0) plan.context.emplace_back("inject_ns", std::to_string(s.inject_ns));
  for (const PingPongVariant& planned : plan_pingpong(s.placements, states, plan.skipped)) {
    for (const Variant& variant : variants_of(planned.name, s.inject_ns)) {
      PingPongVariant v = planned;
      v.name = variant.name;
      v.inject_ns = variant.inject_ns;
      plan.add(v.name, [&s, v](benchmark::State& st) { run_pingpong(st, s, v); });
    }
  }
  if (selfcheck_active()) return;
  for (const FpuStateVariant& v : states) {
    if (v.ping_mask != v.pong_mask) continue;  // one thread: "-pong" variants do not apply
    std::string name = "signal/self/" + v.name;
    plan.add(name, [&s, name, v](benchmark::State& st) { run_signal(st, s, name, v); });
  }
}

}  // namespace fpubench
