// One timed benchmark, the way every fpubench row runs: set up (a failure skips the row), count
// what the participating threads do and what disturbs them, time each iteration with the TSC as
// the iteration's manual time, check integrity (a corruption fails the whole run), report. A
// benchmark is a TimedBody (its set-up in the constructor, one iteration in step()) and a Figure.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/latency_histogram.h"
#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/harness/histogram_sink.h"
#include "host/harness/paired_blocks.h"

namespace fpubench {

// The machine every suite plans for and measures on, enumerated once and alive for the run.
struct Machine {
  const XstateLayout& layout;
  const RegisterState& regs;
  const TscInfo& tsc;
  const Topology& topology;
  Placements placements = {};           // where two-thread rows run: from the topology, or --pin
  std::string amx_unavailable = {};     // why AMX rows are skipped ("": they run)
  HistogramSink* histograms = nullptr;  // where round-trip rows hand their histograms (may be null)
  PairedSettings paired = {};           // how a row with a state is measured against init
};

// What one iteration measured.
struct Step {
  uint64_t ticks = 0;                 // the iteration's timed region, in TSC ticks
  bool host_timed = true;             // read with tsc_begin/tsc_end here: the harness takes off their cost
  double operations = 1;              // operations those ticks cover
  std::span<const uint64_t> samples;  // round trips timed inside (empty: `ticks` is one round trip)
};

struct Failure {
  std::string what;  // "" for none
  bool corruption = false;
};

// What the iterations add up to, for the report.
struct Totals {
  double ticks = 0, operations = 0;
  uint64_t best_ticks = ~uint64_t{0};  // the fastest iteration
  LatencyRecorder samples;
};

class TimedBody {
 public:
  virtual ~TimedBody() = default;
  // The threads whose counters and disturbances the row reports.
  virtual std::vector<pid_t> threads() const;
  // False where the threads switch involuntarily by design (one PU, sched_yield).
  virtual bool preemptions_are_disturbances() const { return true; }
  // One iteration. False ends the loop with `failure` set, or left for finish() to say.
  virtual bool step(Step& step) = 0;
  // Paired rows (Figure::kPairedRoundTrips): `n` round trips with the variant's state held, or
  // with every component in init, each timed into `ticks`. False ends the loop with `failure` set.
  // Bodies that are never paired leave it: it throws std::logic_error.
  virtual bool round_trips(bool held, unsigned n, uint64_t* ticks);
  // After the loop, before the report: stops partners and says what went wrong there.
  virtual Failure finish() { return {}; }
  // Counters beyond the figure's own.
  virtual void report(benchmark::State&, const Totals&) const {}

  Failure failure;
};

// A paired row made of two bodies, one per side (two VMs: one whose guest holds the state, one
// whose guest is in init): round_trips() runs `n` steps of the side asked for; the threads and
// failures are both bodies'.
std::unique_ptr<TimedBody> pair_of(std::unique_ptr<TimedBody> held, std::unique_ptr<TimedBody> init);

enum class Figure {
  kRoundTrips,    // latency percentiles of every round trip (rtt_*_ns), and its histogram
  kPerOperation,  // ticks_per_op and ns_per_op over all iterations
  kOwn,           // only what the body reports
  // Time-paired blocks of round_trips() (paired_blocks.h): the held side's latencies as
  // kRoundTrips reports them, and per repetition "init_rtt_p50_ns", "cost_p50_ns" (held - init)
  // and "aa_cost_p50_ns" (init - init, the pairing's own check).
  kPairedRoundTrips,
};

// A round-trip row's figure: time-paired blocks when it has a held side to pair with init.
inline Figure round_trip_figure(bool paired) {
  return paired ? Figure::kPairedRoundTrips : Figure::kRoundTrips;
}

// A delay of the plan (apply_delays in plan/suite_plan.h), in ns, as the TSC ticks spin_ticks()
// waits; negative: none.
inline int64_t inject_ticks(const TscInfo& tsc, double ns) {
  return ns < 0 ? -1 : int64_t(tsc.ns_to_ticks(ns));
}

// Busy-waits `ticks` TSC ticks inside a timed interval (an injected delay): two TSC reads even for
// zero, so that a zero wait and a real one differ by the wait alone. Negative: returns at once,
// reads nothing. Inline, so the timed loops (*_regs_loaded.cc) hold no call for it; integer code
// only, it touches no vector register.
inline void spin_ticks(int64_t ticks) {
  if (ticks < 0) return;
  // No PAUSE in the loop: it takes ~50 ns on recent cores, which would be the granularity of
  // the delay.
  uint64_t end = tsc_begin() + uint64_t(ticks);
  while (tsc_begin() < end) {
  }
}

struct HarnessContext {
  const TscInfo* tsc;
  HistogramSink* histograms;   // may be null
  PairedSettings paired = {};  // for Figure::kPairedRoundTrips
};

// Runs `make()`'s body for `st`; `suite` and `name` go into integrity and skip messages.
void run_timed(benchmark::State& st, const HarnessContext& h, const std::string& suite,
               const std::string& name, Figure figure,
               const std::function<std::unique_ptr<TimedBody>()>& make);

}  // namespace fpubench
