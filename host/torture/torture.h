// FPU state integrity torture: every participant keeps unique patterns in every xstate component
// fpubench controls while the kernel switches, migrates, signals, forks, preempts, and (with KVM)
// exits, wakes, migrates and resets a vCPU. Each scenario runs until its share of --seconds is
// used up (or Ctrl-C) and reports what it exercised and the first corruption it saw.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "host/harness/timed_benchmark.h"

namespace fpubench {

// The machine (the suites' own struct), and this scenario's time and hooks.
struct TortureSetup : Machine {
  std::chrono::steady_clock::time_point deadline;
  const std::atomic<bool>* interrupted;
  bool corrupt = false;  // test hook: this scenario's partner gets one bit flipped (where it can)
  bool out_of_time() const {
    return interrupted->load(std::memory_order_relaxed) || std::chrono::steady_clock::now() >= deadline;
  }
};

struct ScenarioResult {
  std::string name;
  std::string events;  // what was exercised, e.g. "184223 switches"
  uint64_t count = 0;
  std::string skipped;     // why it did not run ("" when it ran)
  std::string corruption;  // the first corruption: participant, event, component, bytes
  std::string error;       // the scenario could not go on (a failed system call): not evidence
};

// "ok", "CORRUPTED", "ERROR", "skipped", or "not run" (no iteration completed: tested nothing).
const char* scenario_status(const ScenarioResult& r);

// The whole torture's outcome and exit status (bench/exit_status.h): FAILED (3: a corruption or
// an FPU line in the kernel log), incomplete (4: a scenario ended in an error), interrupted (130),
// nothing tested (2: no scenario could run here), passed (0).
struct TortureVerdict {
  int exit_status;
  const char* name;
};
TortureVerdict torture_verdict(const std::vector<ScenarioResult>& results,
                               const std::vector<std::string>& kernel_log, bool interrupted);

struct TortureScenario {
  const char* name;
  ScenarioResult (*run)(const TortureSetup&);
  bool corruptible = false;  // honours TortureSetup::corrupt (the --corrupt test hook)
};

// Host scenarios, then KVM ones.
const std::vector<TortureScenario>& torture_scenarios();

// "host/fork-exec: 1234 forks" lines; the table the summary prints.
std::string torture_table(const std::vector<ScenarioResult>& results,
                          const std::vector<std::string>& kernel_log, bool interrupted);

}  // namespace fpubench
