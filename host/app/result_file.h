// The result file (--benchmark_out=FILE), the binary's own: built whole with nlohmann from Google
// Benchmark's Run objects, in the library's JSON shape (context, benchmarks) so its tools still
// read it, with every entry's row (host/plan/suite_plan.h), figures that are not numbers as null (a
// strict parser reads every file), the run's context and a schema version. Written to a
// temporary name in the same folder and renamed, so an interrupted run leaves the previous file
// or none, never half of one. Google Benchmark still runs, times and prints. And the same figures as
// a LAVA test reports them (--lab-out).
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "host/plan/suite_plan.h"

namespace fpubench {

// Version 3: every row says its name. 2: the binary writes the file, rows without their name (1:
// Google Benchmark wrote it and the binary added rows).
inline constexpr int kResultSchemaVersion = 3;

// Forwards everything to `inner` (the display) and keeps what the file needs.
class ResultFileReporter final : public benchmark::BenchmarkReporter {
 public:
  // `context`: the run's own entries (environment, plan, --benchmark_context), in order.
  ResultFileReporter(benchmark::BenchmarkReporter* inner, const SuitePlan& plan,
                     std::vector<std::pair<std::string, std::string>> context);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override { inner_->Finalize(); }

  nlohmann::ordered_json document() const;

 private:
  benchmark::BenchmarkReporter* inner_;
  std::map<std::string, nlohmann::ordered_json> rows_;  // by the name Google Benchmark reports
  std::map<std::string, nlohmann::ordered_json> labs_;  // the rows' lab names (host/plan/suite_plan.h)
  std::vector<std::pair<std::string, std::string>> own_context_;
  nlohmann::ordered_json context_ = nlohmann::ordered_json::object();
  nlohmann::ordered_json entries_ = nlohmann::ordered_json::array();
};

// One entry as Google Benchmark's JSON reporter writes it, with `row` and its `lab` names (null:
// none) after run_name.
nlohmann::ordered_json result_entry(const benchmark::BenchmarkReporter::Run& run,
                                    const nlohmann::ordered_json& row,
                                    const nlohmann::ordered_json& lab = nullptr);

// "k=v,k2=v2" as --benchmark_context takes it; throws std::invalid_argument on an entry without "=".
std::vector<std::pair<std::string, std::string>> parse_context_flag(const std::string& value);

// A run's figures as a LAVA test definition reports them (test-definitions' result.txt lines,
// which lava-test-case takes one by one): "<name> pass <value> <unit>" per repetition of every
// row's figure and xstate cost, "<name> skip" for what the binary skipped after a "# skip <name>:
// <reason>" line, and the run's context first as "# fpubench-context <json>". The names are the
// rows' lab names (host/plan/suite_plan.h). For a machine without Python (the LAVA QEMU guest);
// `scripts/fpubench export --format lava` writes the same lines from a result file.
std::string lava_result_lines(const nlohmann::ordered_json& result_document);

}  // namespace fpubench
