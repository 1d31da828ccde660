// The result file the binary writes, fed by Google Benchmark's real run loop and reporter calls:
// every entry with its row, strict JSON (NaN as null), the context and the schema version.
#include "host/app/result_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace fpubench {
namespace {

// The display the test does not need.
class Silent : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

SuitePlan one_row_plan() {
  SuitePlan plan;
  plan.add("test/result-file/avx",
           Row{.suite = "signal",
               .family = "test/result-file",
               .variant = "avx",
               .baseline = "test/result-file/none",
               .cost_figure = "cost_p50_ns"},
           [](benchmark::State&) {});
  return plan;
}

nlohmann::json run_through_google_benchmark() {
  // Repetitions from the flags, as the binary has them: a benchmark's own settings would go into its name.
  static const bool flags = [] {
    const char* argv[] = {"result_file_test", "--benchmark_repetitions=2", "--benchmark_min_time=0.0001",
                          nullptr};
    int argc = 3;
    benchmark::Initialize(&argc, const_cast<char**>(argv));
    return true;
  }();
  (void)flags;
  benchmark::RegisterBenchmark("test/result-file/avx", [](benchmark::State& st) {
    for (auto _ : st) st.SetIterationTime(1e-6);
    st.counters["rtt_p50_ns"] = 1000;
    st.counters["cost_p50_ns"] = -20;     // a difference: either sign
    st.counters["aa_cost_p50_ns"] = NAN;  // not a number: null in the file
  })->UseManualTime();
  Silent display;
  ResultFileReporter reporter(&display, one_row_plan(), {{"label", "kernel-a"}, {"tsc_hz", "2000000000"}});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();
  return nlohmann::json::parse(reporter.document().dump(1));  // strict: no NaN allowed
}

TEST(ResultFile, EveryEntryOfARealRunCarriesItsRowInStrictJson) {
  nlohmann::json doc = run_through_google_benchmark();
  EXPECT_EQ(doc["fpubench_schema"], kResultSchemaVersion);
  EXPECT_EQ(doc["context"]["label"], "kernel-a");
  EXPECT_EQ(doc["context"]["tsc_hz"], "2000000000");
  EXPECT_TRUE(doc["context"].contains("date") && doc["context"].contains("num_cpus"));
  const nlohmann::json& entries = doc["benchmarks"];
  ASSERT_EQ(entries.size(), 2u + 4u);  // two repetitions, then mean, median, stddev and cv
  for (const nlohmann::json& e : entries) {
    EXPECT_EQ(e["run_name"], "test/result-file/avx/manual_time");
    EXPECT_EQ(e["row"]["family"], "test/result-file") << e["name"];
    EXPECT_EQ(e["row"]["cost_figure"], "cost_p50_ns");
  }
  const nlohmann::json& first = entries[0];
  EXPECT_EQ(first["run_type"], "iteration");
  EXPECT_EQ(first["repetition_index"], 0);
  EXPECT_GE(first["iterations"].get<int64_t>(), 1);
  EXPECT_EQ(first["time_unit"], "ns");                          // Google Benchmark's default unit
  EXPECT_NEAR(first["real_time"].get<double>(), 1000.0, 1e-6);  // the manual time per iteration
  EXPECT_EQ(first["rtt_p50_ns"], 1000);
  EXPECT_EQ(first["cost_p50_ns"], -20);
  EXPECT_TRUE(first["aa_cost_p50_ns"].is_null());
  const nlohmann::json& cv = entries[5];
  EXPECT_EQ(cv["run_type"], "aggregate");
  EXPECT_EQ(cv["aggregate_name"], "cv");
  EXPECT_EQ(cv["aggregate_unit"], "percentage");
  EXPECT_FALSE(cv.contains("time_unit"));  // a fraction, not a time
}

TEST(ResultFile, AnEntryOfABenchmarkOutsideThePlanHasNoRow) {
  benchmark::BenchmarkReporter::Run run;
  run.run_name.function_name = "other";
  nlohmann::ordered_json e = result_entry(run, nlohmann::ordered_json());
  EXPECT_FALSE(e.contains("row"));
  EXPECT_EQ(e["run_name"], "other");
}

TEST(ResultFile, TheContextFlagIsReadAsKeyValuePairs) {
  auto pairs = parse_context_flag("label=kernel-a,fpubench_commit=abc+dirty");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"label", "kernel-a"}));
  EXPECT_EQ(pairs[1].second, "abc+dirty");
  EXPECT_TRUE(parse_context_flag("").empty());
  EXPECT_THROW(parse_context_flag("label"), std::invalid_argument);
}

}  // namespace
}  // namespace fpubench
