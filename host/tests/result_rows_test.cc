// The result file's rows get their fields from the plan, matched by Google Benchmark's run name.
#include "host/app/result_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
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
  // As Google Benchmark writes it: one field per line, NaN where an aggregate is undefined.
  std::string in = R"({
  "context": {
    "x": "1"
  },
  "benchmarks": [
    {
      "name": "signal/self/avx/manual_time",
      "run_name": "signal/self/avx/manual_time",
      "run_type": "iteration",
      "rtt_p50_ns": 3.5e+03
    },
    {
      "name": "signal/self/avx/manual_time_cv",
      "run_name": "signal/self/avx/manual_time",
      "run_type": "aggregate",
      "disturbed.steal_ticks": NaN
    },
    {
      "name": "other/manual_time",
      "run_name": "other/manual_time",
      "run_type": "iteration"
    }
  ]
}
)";
  std::string text = with_rows(in, one_row_plan());
  EXPECT_NE(text.find("\"rtt_p50_ns\": 3.5e+03"), std::string::npos) << "numbers stay as written";
  EXPECT_NE(text.find("\"disturbed.steal_ticks\": NaN"), std::string::npos);
  std::string strict;  // for nlohmann, which reads no NaN
  for (size_t at = 0, nan; at < text.size(); at = nan + 3) {
    nan = std::min(text.find("NaN", at), text.size());
    strict += text.substr(at, nan - at) + (nan < text.size() ? "0" : "");
  }
  nlohmann::json out = nlohmann::json::parse(strict);
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
