// One timed benchmark, the way every fpubench row runs: set up (a failure skips the row), count
// what the participating threads do and what disturbs them, time each iteration with the TSC as
// the iteration's manual time, check integrity (a corruption fails the whole run), report. A
// benchmark is a TimedBody (its set-up in the constructor, one iteration in step()) and a Figure.
// What the harness does for every row is here, in this order: integrity, counting, the histogram
// sink, time-paired blocks, then the body, its figure and run_timed. A suite includes this file
// and nothing else of the harness.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/counters.h"
#include "bench/disturbance.h"
#include "bench/latency_histogram.h"
#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"

namespace fpubench {

// ---- Integrity
// The run-wide integrity record. Every suite that checks FPU state (ping-pong, signal, KVM exits,
// irqfd and IPI wake-ups, guest payload checks) reports a difference here; any report fails the
// whole run (exit status 3), so no timing measured on a kernel that corrupts state is published.

// An error a participant raises about its own state; fpu_corruption() when it found its FPU
// registers changed (the kernel lost its state), as opposed to failing for any other reason.
class StateError : public std::runtime_error {
 public:
  StateError(const std::string& what, bool fpu_corruption)
      : std::runtime_error(what), fpu_corruption_(fpu_corruption) {}
  bool fpu_corruption() const { return fpu_corruption_; }

 private:
  bool fpu_corruption_;
};

// Whether a caught exception is a StateError that found FPU state changed (null: no).
bool is_fpu_corruption(std::exception_ptr error);

// `what` names the participant (thread, vCPU), the event, the component and the bytes. Prints one
// line on stderr and marks the run failed.
void report_corruption(const std::string& suite, const std::string& benchmark, const std::string& what);
bool corruption_seen();

// Ends a benchmark that failed: a corruption is reported above, anything else only skips it.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::string& what, bool corruption);
// The same for an exception: a StateError that found FPU state changed is a corruption.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::exception& error);

// ---- Counting
// --counters for benchmarks: the run's counter plan, and per-benchmark counting on the threads that
// do the work, reported per operation as Google Benchmark counters: "<event>/op", "<event>/total"
// and "<event>/running" (the fraction of time counted; below 1 the count is a scaled estimate).
// Always, whatever was asked: what disturbed the benchmark's PUs in this repetition
// ("disturbed.device_irqs", "disturbed.steal_ticks", "disturbed.preemptions"; see disturbance.h).

void set_counter_plan(CounterPlan plan);
const CounterPlan& counter_plan();

class BenchmarkCounting {
 public:
  // Counts the planned events on `tids`, and what disturbed their PUs. `preemptions_are_disturbances`
  // is false where the threads switch involuntarily by design (sched_yield).
  // Throws std::runtime_error when a thread cannot be counted.
  explicit BenchmarkCounting(const std::vector<pid_t>& tids, bool preemptions_are_disturbances = true);
  void start();
  void stop();
  void report(benchmark::State& state, double operations) const;

 private:
  std::unique_ptr<ThreadCounters> counters_;
  DisturbanceProbe disturbance_;
  Disturbance disturbed_;
};

pid_t current_tid();

// ---- Histograms
// Full latency histograms for the reporting scripts, written beside the Google Benchmark JSON
// (--histograms-out=FILE). A benchmark hands over its histogram after each run with its iteration
// count; Google Benchmark reports every repetition of a benchmark at once, and each reported
// repetition takes the oldest offered run with its iteration count (the runs before it were
// iteration-count probes). So every repetition's distribution is kept under its own index.

class HistogramSink {
 public:
  explicit HistogramSink(double tsc_hz) : tsc_hz_(tsc_hz) {}
  // A run of `benchmark` (its registered name) of `iterations` iterations.
  void offer(const std::string& benchmark, const LatencyRecorder& recorder, int64_t iterations);
  // A reported repetition of `benchmark`: its run becomes part of the output.
  void commit(const std::string& benchmark, int64_t repetition_index, int64_t iterations);
  // JSON: {"tsc_hz": .., "buckets_per_octave": B, "histograms": [{"name", "repetition_index",
  // "samples", "buckets": [..], "bucket_lower_ns": [..], "counts": [..]}]}. Bucket b >= 1 starts
  // at 2^((b - 1) / B) TSC ticks; bucket 0 holds zero.
  std::string to_json() const;
  void write(const std::string& path) const;  // throws std::runtime_error
  bool empty() const { return committed_.empty(); }

 private:
  struct Entry {
    std::string name;
    int64_t repetition_index;
    int64_t iterations;
    uint64_t samples;
    std::map<unsigned, uint64_t> buckets;
  };
  double tsc_hz_;
  std::map<std::string, std::deque<Entry>> pending_;
  std::vector<Entry> committed_;
};

// Forwards everything to the display reporter and commits histograms of the runs it reports.
class HistogramCommittingReporter final : public benchmark::BenchmarkReporter {
 public:
  HistogramCommittingReporter(benchmark::BenchmarkReporter* inner, HistogramSink* sink)
      : inner_(inner), sink_(sink) {}
  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override { inner_->Finalize(); }

 private:
  benchmark::BenchmarkReporter* inner_;
  HistogramSink* sink_;
};

// ---- Time-paired blocks
// Time-paired blocks: a variant's xstate cost measured inside one benchmark, next to its baseline.
// Every iteration is a quad of four blocks of round trips, the variant's state held (H) and every
// component in init (I), in a random ABBA order (HIIH or IHHI): both sides sit at the same mean
// time, so a change of the machine's speed that is slow against a quad cancels in their
// difference, and one that is fast hits both sides alike. The first round trips of every block
// are not kept (the switch of state, and the caches it cools, land there). Per repetition: each
// side's p50, their difference (the cost), and an A/A difference between the init blocks of even
// and of odd quads, which must be zero within its noise (README, "Time-paired blocks").

struct PairedSettings {
  unsigned block = 32;   // kept round trips per block (--paired-block)
  unsigned discard = 2;  // round trips at the start of every block that are not kept
};

// What a paired repetition reports, in ticks.
struct PairedFigures {
  double held_p50 = 0, init_p50 = 0;
  double cost = 0;  // held_p50 - init_p50
  // p50 of the init blocks of even quads - of odd quads; none from a single quad
  std::optional<double> aa;
};

class PairedBlocks {
 public:
  // `n` round trips of one side (the state held, or all in init), each timed into `ticks`;
  // false when one failed (the body says why).
  using RunSide = std::function<bool(bool held, unsigned n, uint64_t* ticks)>;

  // `overhead_ticks` is taken off every round trip (the timer's own cost); `seed` draws the orders.
  PairedBlocks(PairedSettings settings, uint64_t overhead_ticks, uint64_t seed);

  // One quad; `*total` gets the ticks of all its round trips (the iteration's time). False when
  // `run` failed.
  bool quad(const RunSide& run, uint64_t* total);

  const LatencyRecorder& held() const { return held_; }
  const LatencyRecorder& init() const { return init_; }
  // Round trips run on both sides, the discarded ones included: what per-operation counts divide by.
  uint64_t round_trips() const { return round_trips_; }
  // Throws std::logic_error before the first quad.
  PairedFigures figures() const;

 private:
  bool block(const RunSide& run, bool held, uint64_t* total);

  PairedSettings settings_;
  uint64_t overhead_;
  std::mt19937_64 order_;
  std::vector<uint64_t> ticks_;
  LatencyRecorder held_, init_, init_even_, init_odd_;
  uint64_t quads_ = 0, round_trips_ = 0;
};

// ---- The timed benchmark

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
  // Time-paired blocks of round_trips() (PairedBlocks, above): the held side's latencies as
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
