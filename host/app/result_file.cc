#include "host/app/result_file.h"

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "host/plan/suite_plan.h"

namespace fpubench {
namespace {

// As Google Benchmark dates its results: local time, ISO 8601 with the offset.
std::string local_date_time() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
  std::string date = text;  // +0000 -> +00:00
  size_t minutes = date.size() - 2;
  return date.substr(0, minutes) + ":" + date.substr(minutes);
}

// %.6g as the Python export prints it, so both give the same line for one figure.
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

std::string measured(const nlohmann::ordered_json& lab, const nlohmann::ordered_json& e,
                     const std::string& key, const std::string& unit) {
  if (lab.empty() || !e.contains(key) || !e[key].is_number()) return "";
  return lab.get<std::string>() + " pass " + number(e[key].get<double>()) + (unit.empty() ? "" : " " + unit) +
         "\n";
}

}  // namespace

ResultFileReporter::ResultFileReporter(benchmark::BenchmarkReporter* inner, const SuitePlan& plan,
                                       std::vector<std::pair<std::string, std::string>> context)
    : inner_(inner), own_context_(std::move(context)) {
  for (const PlannedBenchmark& b : plan.benchmarks)  // manual time is what every row registers with
  {
    rows_[b.name + "/manual_time"] = nlohmann::ordered_json(b.row);
    labs_[b.name + "/manual_time"] = lab_names(b.row);
  }
}

bool ResultFileReporter::ReportContext(const Context& c) {
  context_["date"] = local_date_time();
  context_["host_name"] = c.sys_info.name;
  context_["executable"] = Context::executable_name ? Context::executable_name : "";
  context_["num_cpus"] = c.cpu_info.num_cpus;
  context_["mhz_per_cpu"] = int64_t(c.cpu_info.cycles_per_second / 1e6);
  if (c.cpu_info.scaling != benchmark::CPUInfo::UNKNOWN)
    context_["cpu_scaling_enabled"] = c.cpu_info.scaling == benchmark::CPUInfo::ENABLED;
  context_["caches"] = nlohmann::ordered_json::array();
  for (const auto& cache : c.cpu_info.caches)
    context_["caches"].push_back({{"type", cache.type},
                                  {"level", cache.level},
                                  {"size", cache.size},
                                  {"num_sharing", cache.num_sharing}});
  context_["load_avg"] = c.cpu_info.load_avg;
  for (const auto& [key, value] : own_context_) context_[key] = value;
  return inner_->ReportContext(c);
}

nlohmann::ordered_json result_entry(const benchmark::BenchmarkReporter::Run& run,
                                    const nlohmann::ordered_json& row, const nlohmann::ordered_json& lab) {
  using Run = benchmark::BenchmarkReporter::Run;
  nlohmann::ordered_json e;
  e["name"] = run.benchmark_name();
  e["family_index"] = run.family_index;
  e["per_family_instance_index"] = run.per_family_instance_index;
  e["run_name"] = run.run_name.str();
  if (!row.is_null()) e["row"] = row;
  if (!lab.is_null()) e["lab"] = lab;
  bool aggregate = run.run_type == Run::RT_Aggregate;
  e["run_type"] = aggregate ? "aggregate" : "iteration";
  e["repetitions"] = run.repetitions;
  if (!aggregate) e["repetition_index"] = run.repetition_index;
  e["threads"] = run.threads;
  if (aggregate) {
    e["aggregate_name"] = run.aggregate_name;
    e["aggregate_unit"] = run.aggregate_unit == benchmark::kPercentage ? "percentage" : "time";
  }
  if (run.error_occurred) {
    e["error_occurred"] = true;
    e["error_message"] = run.error_message;
  }
  e["iterations"] = run.iterations;
  if (aggregate && run.aggregate_unit == benchmark::kPercentage) {  // a fraction, not a time
    e["real_time"] = run.real_accumulated_time;
    e["cpu_time"] = run.cpu_accumulated_time;
  } else {
    e["real_time"] = run.GetAdjustedRealTime();
    e["cpu_time"] = run.GetAdjustedCPUTime();
    e["time_unit"] = benchmark::GetTimeUnitString(run.time_unit);
  }
  for (const auto& [name, counter] : run.counters) e[name] = counter.value;  // NaN and infinities: null
  if (!run.report_label.empty()) e["label"] = run.report_label;
  return e;
}

void ResultFileReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    auto row = rows_.find(run.run_name.str());
    if (row == rows_.end())
      entries_.push_back(result_entry(run, nullptr));
    else
      entries_.push_back(result_entry(run, row->second, labs_.at(row->first)));
  }
  inner_->ReportRuns(runs);
}

nlohmann::ordered_json ResultFileReporter::document() const {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["fpubench_schema"] = kResultSchemaVersion;
  doc["context"] = context_;
  doc["benchmarks"] = entries_;
  return doc;
}

std::vector<std::pair<std::string, std::string>> parse_context_flag(const std::string& value) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t at = 0;
  while (at < value.size()) {
    size_t end = value.find(',', at);
    if (end == std::string::npos) end = value.size();
    std::string item = value.substr(at, end - at);
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("--benchmark_context takes KEY=VALUE pairs separated by commas, got '" +
                                  item + "'");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    at = end + 1;
  }
  return out;
}

std::string lava_result_lines(const nlohmann::ordered_json& doc) {
  const nlohmann::ordered_json& context = doc.at("context");
  std::string out = "# fpubench-context " + context.dump() + "\n";
  for (const nlohmann::ordered_json& e : doc.at("benchmarks")) {
    if (!e.contains("lab") || e.value("run_type", "") != "iteration" || e.value("error_occurred", false))
      continue;
    const nlohmann::ordered_json& row = e.at("row");
    std::string unit = row.value("unit", "");
    out += measured(e["lab"]["figure"], e, row.value("figure", ""), unit);
    out += measured(e["lab"]["cost"], e, row.value("cost_figure", ""), unit);
  }
  for (const auto& [key, why] : context.items()) {
    if (key.rfind("skipped.", 0) != 0 || !why.is_string()) continue;
    std::string name = lab_skip_name(key.substr(8));
    out += "# skip " + name + ": " + why.get<std::string>() + "\n" + name + " skip\n";
  }
  return out;
}

}  // namespace fpubench
