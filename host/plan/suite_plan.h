// The benchmarks a run will register and everything it leaves out, decided before anything is
// registered: the binary registers a plan, and fpubench plan prints it, for this machine or for a
// recorded machine profile (--profile), so a change that drops benchmarks somewhere shows up in
// the profile tests as a diff.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "host/plan/row.h"

namespace fpubench {

// A benchmark that could not be registered on this machine, with a one-line reason: printed on
// stderr and recorded in the result context, never dropped silently.
struct Skipped {
  std::string what;  // a benchmark name or a name pattern like "xsave/*/amx/*"
  std::string why;
};

using SkipList = std::vector<Skipped>;

// What a run adds inside a round trip's timed interval, in ns; negative: no wait code at all.
struct Delays {
  double round_trip_ns = -1;  // every round trip (--inject-ns)
  double held_side_ns = -1;   // the held side of a paired row (--inject-cost-ns)
};

// Which delays a benchmark's timed interval can hold (apply_delays, below, gives them).
enum class Delayable {
  kNone,
  kHeldSide,   // the held side's only (the signal: its delivery has no partner to wait in)
  kRoundTrip,  // both, and it can be self-checked (ping-pong and KVM exit round trips)
};

// A benchmark's body, given what it was finally planned as: its name, row and delays.
struct PlannedBenchmark;
using TimedRun = std::function<void(benchmark::State&, const PlannedBenchmark&)>;

struct PlannedBenchmark {
  std::string name;
  Row row;
  TimedRun run;
  benchmark::TimeUnit unit = benchmark::kMicrosecond;
  Delayable takes = Delayable::kNone;
  Delays delays = {};
};

struct SuitePlan {
  std::vector<PlannedBenchmark> benchmarks;
  SkipList skipped;
  std::vector<std::pair<std::string, std::string>> context;  // result-context entries the plan adds

  // Registered under the row's name (row_name): a name is never made apart from its row.
  void add(Row row, TimedRun run, Delayable takes = Delayable::kNone,
           benchmark::TimeUnit unit = benchmark::kMicrosecond) {
    std::string name = row_name(row);
    benchmarks.push_back({std::move(name), std::move(row), std::move(run), unit, takes});
  }
};

// --progress: one line on stderr as each benchmark repetition starts, "[37/95] name (about 40 s
// left)", for the wrapper to show while the suite runs. Google Benchmark calls a benchmark several
// times in its first repetition, with a growing iteration count (probes), and once per later
// repetition with the count it settled on: a call starts a repetition unless it continues the
// previous call's benchmark with more iterations.
class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void started(const std::string& benchmark, int64_t iterations);
  size_t done() const { return count_; }

 private:
  size_t total_, count_ = 0;
  bool enabled_;
  std::string last_;
  int64_t last_iterations_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Registers every planned benchmark (manual time: each times its own region with the TSC); each
// tells `progress` when it starts.
void register_plan(const SuitePlan& plan, Progress* progress = nullptr);

// "run NAME" and "skip PATTERN: why" lines, after "context KEY VALUE" lines: the plan as text.
std::string describe_plan(const SuitePlan& plan);
// The same as one JSON object: {"context": {...}, "rows": [{"name", "row"}], "skipped": [{what, why}]}.
std::string describe_plan_json(const SuitePlan& plan);

// What --inject-ns, --inject-cost-ns and --selfcheck do to a run, as one transform of the finished
// plan: the suites plan their rows alone, and this gives every round trip its delays, or turns the
// plan into a self-check of one row.
//
// --selfcheck=NAME: the round trip NAME registered three times, as selfcheck/a/NAME,
// selfcheck/a-again/NAME and selfcheck/inject/NAME, only the last with the --inject-ns delay (or,
// for a paired row, the --inject-cost-ns delay of its held side). With random interleaving the
// three run interleaved in one process, so a comparison of them shows whether the suite can see a
// delay of that size (it must) and not see a difference that is not there (it must not).
struct DelayOptions {
  std::string selfcheck = {};  // the round trip to self-check ("": none)
  double inject_ns = 0;        // --inject-ns: every round trip (the self-check's inject variant)
  double inject_cost_ns = 0;   // --inject-cost-ns: the held side of every paired round trip
};

// Throws std::invalid_argument when --selfcheck names no round trip of the plan, or asks a cost
// delay of a row that holds no state.
void apply_delays(SuitePlan& plan, const DelayOptions& options);

}  // namespace fpubench
