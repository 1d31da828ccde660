#include "host/plan/delays.h"

#include <stdexcept>
#include <utility>
#include <vector>

namespace fpubench {
namespace {

bool paired(const PlannedBenchmark& b) { return !b.row.cost_figure.empty(); }

PlannedBenchmark selfcheck_variant(const PlannedBenchmark& b, const char* variant, Delays delays) {
  PlannedBenchmark v = b;
  v.row.selfcheck = variant;
  v.row.baseline = "";  // the three are compared with each other, not costed
  v.name = row_name(v.row);
  v.delays = delays;
  return v;
}

}  // namespace

void apply_delays(SuitePlan& plan, const DelayOptions& o) {
  if (o.inject_ns > 0) plan.context.emplace_back("inject_ns", std::to_string(o.inject_ns));
  if (o.inject_cost_ns > 0) plan.context.emplace_back("inject_cost_ns", std::to_string(o.inject_cost_ns));
  if (o.selfcheck.empty()) {
    for (PlannedBenchmark& b : plan.benchmarks) {
      if (b.takes == Delayable::kNone) continue;
      double round_trip = b.takes == Delayable::kRoundTrip && o.inject_ns > 0 ? o.inject_ns : -1;
      b.delays = {round_trip, paired(b) && o.inject_cost_ns > 0 ? o.inject_cost_ns : -1};
    }
    return;
  }
  const PlannedBenchmark* found = nullptr;
  for (const PlannedBenchmark& b : plan.benchmarks)
    if (b.takes == Delayable::kRoundTrip && b.name == o.selfcheck) found = &b;
  if (!found)
    throw std::invalid_argument("--selfcheck=" + o.selfcheck +
                                " names no round-trip benchmark this machine runs (a pingpong/* or "
                                "kvm/*-exit/* name without /manual_time; see --benchmark_list_tests)");
  if (!paired(*found) && o.inject_cost_ns > 0)
    throw std::invalid_argument("--inject-cost-ns delays the held side of a row with an FPU state, and " +
                                o.selfcheck +
                                " holds none: self-check a row like pingpong/futex/same-pu/avx512, or use "
                                "--inject-ns");
  // All three run the wait code, the first two with a zero wait: they differ by the wait alone.
  std::vector<PlannedBenchmark> three = {
      selfcheck_variant(*found, "a", {0, 0}), selfcheck_variant(*found, "a-again", {0, 0}),
      selfcheck_variant(*found, "inject", {o.inject_ns, o.inject_cost_ns})};
  plan.benchmarks = std::move(three);  // a self-check runs nothing else
  plan.context.emplace_back("selfcheck", o.selfcheck);
}

}  // namespace fpubench
