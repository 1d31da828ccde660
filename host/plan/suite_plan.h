// The benchmarks a run will register and everything it leaves out, decided before anything is
// registered: the binary registers a plan, and fpubench plan prints it, for this machine or for a
// recorded machine profile (--profile), so a change that drops benchmarks somewhere shows up in
// the profile tests as a diff.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "host/plan/progress.h"
#include "host/plan/row.h"
#include "host/plan/skip_list.h"

namespace fpubench {

struct PlannedBenchmark {
  std::string name;
  Row row;
  std::function<void(benchmark::State&)> run;
  benchmark::TimeUnit unit = benchmark::kMicrosecond;
};

struct SuitePlan {
  std::vector<PlannedBenchmark> benchmarks;
  SkipList skipped;
  std::vector<std::pair<std::string, std::string>> context;  // result-context entries the plan adds

  // Registered under the row's name (row_name): a name is never made apart from its row.
  void add(Row row, std::function<void(benchmark::State&)> run,
           benchmark::TimeUnit unit = benchmark::kMicrosecond) {
    std::string name = row_name(row);
    benchmarks.push_back({std::move(name), std::move(row), std::move(run), unit});
  }
};

// Registers every planned benchmark (manual time: each times its own region with the TSC); each
// tells `progress` when it starts.
void register_plan(const SuitePlan& plan, Progress* progress = nullptr);

// "run NAME" and "skip PATTERN: why" lines, after "context KEY VALUE" lines: the plan as text.
std::string describe_plan(const SuitePlan& plan);
// The same as one JSON object: {"context": {...}, "rows": [{"name", "row"}], "skipped": [{what, why}]}.
std::string describe_plan_json(const SuitePlan& plan);

}  // namespace fpubench
