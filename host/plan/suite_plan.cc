#include "host/plan/suite_plan.h"

#include "host/plan/row.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace fpubench {

void Progress::started(const std::string& benchmark, int64_t iterations) {
  bool probe = benchmark == last_ && iterations > last_iterations_;
  last_ = benchmark;
  last_iterations_ = iterations;
  if (probe) return;
  ++count_;
  if (!enabled_) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double left =
      count_ > 1 ? elapsed / double(count_ - 1) * double(total_ > count_ ? total_ - count_ + 1 : 0) : 0;
  std::fprintf(stderr, "fpubench: [%zu/%zu] %s (about %.0f s left)\n", count_, total_, benchmark.c_str(),
               left);
}

void register_plan(const SuitePlan& plan, Progress* progress) {
  for (const PlannedBenchmark& b : plan.benchmarks) {
    auto run = [&b, progress](benchmark::State& st) {
      if (progress) progress->started(b.name, int64_t(st.max_iterations));
      b.run(st, b);
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
