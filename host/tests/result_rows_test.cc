// The result file's rows get their fields from the plan, matched by Google Benchmark's run name.
#include "host/app/result_rows.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fpubench {
namespace {

SuitePlan one_row_plan() {
  SuitePlan plan;
  plan.add("signal/self/avx",
           Row{.suite = "signal", .family = "signal/self", .variant = "avx", .baseline = "signal/self/none"},
           [](benchmark::State&) {});
  return plan;
}

TEST(ResultRowsTest, EveryEntryOfAPlannedBenchmarkGetsItsRowAggregatesToo) {
  std::string in = R"({"context": {"x": "1"}, "benchmarks": [
    {"name": "signal/self/avx/manual_time", "run_name": "signal/self/avx/manual_time", "run_type": "iteration"},
    {"name": "signal/self/avx/manual_time_mean", "run_name": "signal/self/avx/manual_time", "run_type": "aggregate"},
    {"name": "other/manual_time", "run_name": "other/manual_time", "run_type": "iteration"}]})";
  nlohmann::json out = nlohmann::json::parse(with_rows(in, one_row_plan()));
  EXPECT_EQ(out["context"]["x"], "1");
  EXPECT_EQ(out["benchmarks"][0]["row"]["family"], "signal/self");
  EXPECT_EQ(out["benchmarks"][0]["row"]["baseline"], "signal/self/none");
  EXPECT_EQ(out["benchmarks"][1]["row"]["variant"], "avx");
  EXPECT_FALSE(out["benchmarks"][2].contains("row"));  // not planned: left as it was
}

TEST(ResultRowsTest, APlanListsTheSameFieldsAsJson) {
  nlohmann::json plan = nlohmann::json::parse(describe_plan_json(one_row_plan()));
  EXPECT_EQ(plan["rows"][0]["name"], "signal/self/avx");
  EXPECT_EQ(plan["rows"][0]["row"]["suite"], "signal");
  EXPECT_EQ(plan["rows"][0]["row"]["placement"], "");
}

}  // namespace
}  // namespace fpubench
