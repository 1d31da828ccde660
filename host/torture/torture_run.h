// `fpubench torture`: runs the torture scenarios (all, or those --only names) for --seconds in
// total, watches the kernel log, prints the summary table and writes it as JSON with the
// environment context. Ctrl-C stops it cleanly with a partial summary.
#pragma once

#include <string>

#include "bench/environment.h"
#include "host/harness/timed_benchmark.h"

namespace fpubench {

struct TortureOptions {
  double seconds = 60;
  std::string only;     // comma-separated scenario names or prefixes ("host", "kvm/exits")
  std::string out;      // JSON file ("" for none)
  std::string corrupt;  // test hook: the scenario whose partner gets a flipped bit
};

// Throws std::invalid_argument when --only or --corrupt names no scenario: checked before the
// measurement lock is taken, so a bad option is refused at once.
void check_torture_options(const TortureOptions& options);

// Returns the verdict's exit status (torture_verdict): 0 passed, 2 nothing could be tested here,
// 3 corruption, 4 a scenario ended in an error, 130 interrupted (SIGINT/SIGTERM; the summary is
// written).
int run_torture(const TortureOptions& options, const Machine& machine, const Context& context);

}  // namespace fpubench
