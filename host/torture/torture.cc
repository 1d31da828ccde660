// The scenario table, and how its results read: each scenario's status, the verdict, the table.
#include "host/torture/torture.h"

#include <cstdio>

#include "bench/exit_status.h"
#include "host/torture/scenario_support.h"

namespace fpubench {

const std::vector<TortureScenario>& torture_scenarios() {
  static const std::vector<TortureScenario> table = {
      {"host/pingpong-same-pu", host_pingpong, true},
      {"host/migration", host_migration},
      {"host/signals", host_signals},
      {"host/fork-exec", host_fork_exec},
      {"host/preemption", host_preemption},
      {"kvm/exits", kvm_exits},
      {"kvm/irqfd-same-pu", kvm_irqfd},
      {"kvm/get-set-fpu", kvm_state_io},
      {"kvm/migration", kvm_migration},
      {"kvm/init-reset", kvm_reset},
  };
  return table;
}

const char* scenario_status(const ScenarioResult& r) {
  if (!r.corruption.empty()) return "CORRUPTED";
  if (!r.error.empty()) return "ERROR";
  if (!r.skipped.empty()) return "skipped";
  if (r.count == 0) return "not run";
  return "ok";
}

TortureVerdict torture_verdict(const std::vector<ScenarioResult>& results,
                               const std::vector<std::string>& kernel_log, bool interrupted) {
  bool corrupted = !kernel_log.empty(), error = false, tested = false;
  for (const ScenarioResult& r : results) {
    std::string status = scenario_status(r);
    corrupted |= status == "CORRUPTED";
    error |= status == "ERROR";
    tested |= status == "ok";
  }
  if (corrupted) return {kExitIntegrity, "FAILED"};
  if (error) return {kExitMachine, "incomplete"};
  if (interrupted) return {kExitInterrupted + 2, "interrupted"};  // as SIGINT's status
  if (!tested) return {kExitBadInput, "nothing tested"};          // nothing here could run: a skip
  return {kExitOk, "passed"};
}

std::string torture_table(const std::vector<ScenarioResult>& results,
                          const std::vector<std::string>& kernel_log, bool interrupted) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %-11s %s\n", "scenario", "result", "events exercised");
  out += line;
  for (const ScenarioResult& r : results) {
    std::string status = scenario_status(r);
    std::string detail = !r.skipped.empty()    ? r.skipped
                         : status == "not run" ? "no iteration completed in its time (" + r.events + ")"
                                               : r.events;
    std::snprintf(line, sizeof line, "%-22s %-11s %s\n", r.name.c_str(), status.c_str(), detail.c_str());
    out += line;
    if (!r.corruption.empty()) out += "    " + r.corruption + "\n";
    if (!r.error.empty()) out += "    " + r.error + "\n";
  }
  out += "kernel log: " + std::to_string(kernel_log.size()) + " FPU/xstate line" +
         (kernel_log.size() == 1 ? "" : "s") + "\n";
  for (const std::string& l : kernel_log) out += "    " + l + "\n";
  if (interrupted) out += "(interrupted: a partial run)\n";
  return out;
}

}  // namespace fpubench
