// What --inject-ns, --inject-cost-ns and --selfcheck do to a run, as one transform of the finished
// plan: the suites plan their rows alone, and this gives every round trip its delays, or turns the
// plan into a self-check of one row.
//
// --selfcheck=NAME: the round trip NAME registered three times, as selfcheck/a/NAME,
// selfcheck/a-again/NAME and selfcheck/inject/NAME, only the last with the --inject-ns delay (or,
// for a paired row, the --inject-cost-ns delay of its held side). With random interleaving the
// three run interleaved in one process, so a comparison of them shows whether the suite can see a
// delay of that size (it must) and not see a difference that is not there (it must not).
#pragma once

#include <string>

#include "host/plan/suite_plan.h"

namespace fpubench {

struct DelayOptions {
  std::string selfcheck = {};  // the round trip to self-check ("": none)
  double inject_ns = 0;        // --inject-ns: every round trip (the self-check's inject variant)
  double inject_cost_ns = 0;   // --inject-cost-ns: the held side of every paired round trip
};

// Throws std::invalid_argument when --selfcheck names no round trip of the plan, or asks a cost
// delay of a row that holds no state.
void apply_delays(SuitePlan& plan, const DelayOptions& options);

}  // namespace fpubench
