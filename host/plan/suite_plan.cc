#include "host/plan/suite_plan.h"

#include "host/plan/lab_name.h"

#include <nlohmann/json.hpp>

namespace fpubench {

void register_plan(const SuitePlan& plan, Progress* progress) {
  for (const PlannedBenchmark& b : plan.benchmarks) {
    auto run = [&b, progress](benchmark::State& st) {
      if (progress) progress->started(b.name, int64_t(st.max_iterations));
      b.run(st);
    };
    benchmark::RegisterBenchmark(b.name.c_str(), run)->UseManualTime()->Unit(b.unit);
  }
}

std::string describe_plan(const SuitePlan& plan) {
  std::string out;
  for (const auto& [key, value] : plan.context) out += "context " + key + " " + value + "\n";
  for (const PlannedBenchmark& b : plan.benchmarks) out += "run " + b.name + "\n";
  for (const Skipped& s : plan.skipped) out += "skip " + s.what + ": " + s.why + "\n";
  return out;
}

std::string describe_plan_json(const SuitePlan& plan) {
  nlohmann::ordered_json out = {{"context", nlohmann::ordered_json::object()},
                                {"rows", nlohmann::ordered_json::array()},
                                {"skipped", nlohmann::ordered_json::array()}};
  for (const auto& [key, value] : plan.context) out["context"][key] = value;
  for (const PlannedBenchmark& b : plan.benchmarks)
    out["rows"].push_back({{"name", b.name}, {"row", b.row}, {"lab", lab_names(b.row)}});
  for (const Skipped& s : plan.skipped) out["skipped"].push_back({{"what", s.what}, {"why", s.why}});
  return out.dump(1) + "\n";
}

}  // namespace fpubench
