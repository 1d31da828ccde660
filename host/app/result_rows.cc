#include "host/app/result_rows.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "bench/text_file.h"

namespace fpubench {

std::string with_rows(const std::string& result_json, const SuitePlan& plan) {
  nlohmann::ordered_json result = nlohmann::ordered_json::parse(result_json);
  std::map<std::string, nlohmann::ordered_json> rows;
  for (const PlannedBenchmark& b : plan.benchmarks)  // manual time is what every row registers with
    rows[b.name + "/manual_time"] = nlohmann::ordered_json::parse(row_json(b.row));
  for (nlohmann::ordered_json& entry : result["benchmarks"]) {
    auto found = rows.find(entry.value("run_name", ""));
    if (found != rows.end()) entry["row"] = found->second;
  }
  return result.dump(2) + "\n";
}

void add_rows(const std::string& result_path, const SuitePlan& plan) {
  std::optional<std::string> text = read_whole_file(result_path);
  if (!text) throw std::runtime_error("cannot read back the result file " + result_path);
  std::string updated;
  try {
    updated = with_rows(*text, plan);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("the result file " + result_path + " is not the JSON Google Benchmark writes (" +
                             e.what() + ")");
  }
  std::string next = result_path + ".rows";
  {
    std::ofstream out(next, std::ios::trunc);
    out << updated;
    if (!out.flush()) throw std::runtime_error("cannot write " + next);
  }
  if (std::rename(next.c_str(), result_path.c_str()) != 0)
    throw std::runtime_error("cannot replace " + result_path + " with " + next);
}

}  // namespace fpubench
