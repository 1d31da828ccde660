// The result file the binary writes, fed by Google Benchmark's real run loop and reporter calls:
// every entry with its row, strict JSON (NaN as null), the context and the schema version.
#include "host/app/result_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "host/plan/suite_plan.h"

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
  plan.add(Row{.suite = "signal",
               .family = "test/result-file",
               .variant = "avx",
               .mechanism = "signal",
               .state = "avx",
               .baseline = "test/result-file/none",
               .cost_figure = "cost_p50_ns",
               .figure = "rtt_p50_ns",
               .unit = "ns"},
           [](benchmark::State&, const PlannedBenchmark&) {});
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
    EXPECT_EQ(e["row"]["name"], "test/result-file/avx") << e["name"];  // the name every reader keys by
    EXPECT_EQ(e["row"]["family"], "test/result-file") << e["name"];
    EXPECT_EQ(e["row"]["cost_figure"], "cost_p50_ns");
    EXPECT_EQ(e["lab"]["figure"], "fpubench.signal.signal.fpu-avx.rtt_p50_ns");
    EXPECT_EQ(e["lab"]["cost"], "fpubench.signal.signal.fpu-avx.cost.cost_p50_ns");
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

TEST(ResultFile, TheLavaLinesHoldEveryRepetitionOfTheFigureAndTheCostAndEachSkipWithItsReason) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(run_through_google_benchmark().dump());
  doc["context"]["skipped.kvm/*"] = "no /dev/kvm";
  std::string lines = lava_result_lines(doc);
  EXPECT_EQ(lines.rfind("# fpubench-context {", 0), 0u) << lines;
  std::string figure = "fpubench.signal.signal.fpu-avx.rtt_p50_ns pass 1000 ns\n";
  std::string cost = "fpubench.signal.signal.fpu-avx.cost.cost_p50_ns pass -20 ns\n";
  size_t at = lines.find(figure);
  ASSERT_NE(at, std::string::npos) << lines;
  EXPECT_NE(lines.find(figure, at + 1), std::string::npos);  // the second repetition; no aggregate
  EXPECT_NE(lines.find(cost), std::string::npos) << lines;
  EXPECT_NE(lines.find("# skip fpubench.skipped.kvm.any: no /dev/kvm\nfpubench.skipped.kvm.any skip\n"),
            std::string::npos);
  EXPECT_EQ(lines.find(" mean"), std::string::npos);
}

TEST(LabName, IsMadeOfTheRowsFieldsInLowerCase) {
  Row xsave{.suite = "xsave",
            .mechanism = "XSAVEOPT",
            .state = "avx512",
            .condition = "init",
            .figure = "ticks_per_insn"};
  EXPECT_EQ(lab_name(xsave, xsave.figure),
            "fpubench.xsave.xsaveopt.fpu-avx512.condition-init.ticks_per_insn");
  // The longest a row's name gets: a self-check's cost of a cross-package eventfd ping-pong.
  Row pong{.suite = "pingpong",
           .mechanism = "eventfd",
           .placement = "cross-package",
           .state = "none",
           .partner_state = "avx512",
           .selfcheck = "a-again"};
  EXPECT_EQ(lab_name(pong, "cost_p50_ns", true),
            "fpubench.pingpong.eventfd.at-cross-package.fpu-none.peer-avx512.check-a-again.cost.cost_p50_ns");
  EXPECT_EQ(lab_skip_name("pingpong/*/cross-numa/*"), "fpubench.skipped.pingpong.any.cross-numa.any");
}

TEST(LabName, ACharacterOutsideTheLabsAlphabetOrANameTooLongIsRefusedNotRenamed) {
  EXPECT_THROW(lab_name(Row{.suite = "x", .mechanism = "a b"}, "f"), std::invalid_argument);
  EXPECT_THROW(lab_name(Row{.suite = "x", .state = "sse|avx"}, "f"), std::invalid_argument);
  EXPECT_THROW(lab_name(Row{.suite = "x"}, ""), std::invalid_argument);
  EXPECT_THROW(lab_name(Row{.suite = std::string(100, 'x')}, "f"), std::invalid_argument);
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
