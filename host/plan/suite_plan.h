// The benchmarks a run will register and everything it leaves out, decided before anything is
// registered: the binary registers a plan, and fpubench plan prints it, for this machine or for a
// recorded machine profile (--profile), so a change that drops benchmarks somewhere shows up in
// the profile tests as a diff.
//
// What a benchmark row is, as fields: the schema between the binary and whatever reads its
// results. Each row of the result JSON carries these (as "row"), and fpubench plan --json lists them,
// so the Python side reads fields and parses no benchmark name (scripts/fpubench_cli/analysis/schema.py).
// Every name of a row is made here from its fields: its benchmark name and a lab's names.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace fpubench {

// ---- The row

// Every field defaults to "", so a suite names only the fields its rows have.
struct Row {
  std::string suite = {};      // pingpong, signal, kvm, xsave, reference
  std::string family = {};     // the rows that differ only in FPU state: the name without `variant`
  std::string variant = {};    // the rest of the name: what varies within the family ("" for none)
  std::string mechanism = {};  // futex ... spin, signal, pio-exit, irqfd-pingpong, XSAVE ..., user-loop
  std::string placement = {};  // same-pu, cross-llc, ... ("" for one thread)
  // The FPU state of the measuring thread and of its partner (a thread, or the guest for KVM), as
  // component-set names (none, sse, avx, avx512, amx, all; host-init or host-dirty for the host
  // thread of a KVM exit); "" when there is no such side or the row does not vary it.
  std::string state = {}, partner_state = {};
  std::string condition = {};  // xsave: init, modified, unmodified
  std::string baseline = {};   // the row whose figure this row's xstate cost is measured against ("": none)
  // The counter of this row's own entries that holds its xstate cost, measured against the
  // baseline's state in time-paired blocks ("cost_p50_ns"); "" when the cost is the difference of
  // two benchmarks (the baseline's figure subtracted from this row's, per repetition).
  std::string cost_figure = {};
  std::string figure = {};     // the counter the row is judged by (rtt_p50_ns, ticks_per_insn, ns_per_op)
  std::string unit = {};       // of that figure: ns or ticks
  std::string selfcheck = {};  // --selfcheck's variant (a, a-again, inject), "" otherwise
  // What can move the figure: "kernel" (a system call or a VM exit is in the timed region: a
  // kernel change can), "control" (user-mode work alone, steady: the machine's own speed, which a
  // comparison uses to tell the machine from the kernel), "kernel-free" (user-mode work alone, but
  // too bimodal to be a control: the spin floor).
  std::string role = {};
  std::string better = {};  // which way of the figure is better: "lower" (every figure is a time)
};

// The benchmark's name, made from the row alone (the one place names are made):
// [selfcheck/<variant>/]<family>[/<variant>], e.g. pingpong/futex/same-pu/avx512.
std::string row_name(const Row& row);

// The row as a JSON object, its name first (nlohmann's conversion: `json j = row;`).
void to_json(nlohmann::ordered_json& j, const Row& row);

// A lab's name for one figure of a row (LAVA test case, LKP stat key, KCIDB test path), built from
// the row's fields, never from its display name:
//   fpubench.<suite>.<mechanism>[.at-<placement>][.fpu-<state>][.peer-<partner_state>]
//           [.condition-<condition>][.check-<selfcheck variant>][.cost].<figure>
// (".cost": the row's xstate cost, its cost_figure). Short tags: the longest row, a self-check's
// cost of a cross-package eventfd ping-pong, still fits in 100 characters.
// Lower case [a-z0-9_-] components joined by '.', at most 100 characters: what all three engines
// accept. scripts/fpubench_cli/lab/case_names.py reads the fields back.
inline constexpr size_t kLabNameMax = 100;  // LAVA's limit for a test case name

// Throws std::invalid_argument when a field has a character outside the alphabet (after lower
// casing) or the name is too long: a row that cannot be named is not renamed into a collision.
std::string lab_name(const Row& row, const std::string& figure, bool cost = false);

// {"figure": name of the row's figure, "cost": name of its xstate cost or "" (no cost_figure)}.
nlohmann::ordered_json lab_names(const Row& row);

// What the binary skipped ("kvm/*/guest-avx/*" -> fpubench.skipped.kvm.any.guest-avx.any).
std::string lab_skip_name(const std::string& pattern);

// ---- The plan

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
