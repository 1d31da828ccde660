#include "suite_plan.h"

namespace fpubench {

void register_plan(const SuitePlan& plan) {
  for (const PlannedBenchmark& b : plan.benchmarks)
    benchmark::RegisterBenchmark(b.name.c_str(), b.run)->UseManualTime()->Unit(b.unit);
}

std::string describe_plan(const SuitePlan& plan) {
  std::string out;
  for (const auto& [key, value] : plan.context) out += "context " + key + " " + value + "\n";
  for (const PlannedBenchmark& b : plan.benchmarks) out += "run " + b.name + "\n";
  for (const Skipped& s : plan.skipped) out += "skip " + s.what + ": " + s.why + "\n";
  return out;
}

}  // namespace fpubench
