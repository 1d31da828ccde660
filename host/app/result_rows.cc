#include "host/app/result_rows.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "bench/text_file.h"

namespace fpubench {

// Google Benchmark writes each entry's fields one per line, and numbers as it likes (NaN for an
// undefined aggregate, which no strict JSON parser reads back): the row goes in as a line of its
// own after the entry's run_name line, and every other byte stays as the library wrote it.
std::string with_rows(const std::string& result_json, const SuitePlan& plan) {
  std::map<std::string, std::string> rows;
  for (const PlannedBenchmark& b : plan.benchmarks)  // manual time is what every row registers with
    rows["\"run_name\": \"" + b.name + "/manual_time\","] = nlohmann::ordered_json(b.row).dump();
  std::istringstream in(result_json);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    out += line + "\n";
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) continue;
    auto found = rows.find(line.substr(indent));
    if (found != rows.end()) out += line.substr(0, indent) + "\"row\": " + found->second + ",\n";
  }
  return out;
}

void add_rows(const std::string& result_path, const SuitePlan& plan) {
  std::optional<std::string> text = read_whole_file(result_path);
  if (!text) throw std::runtime_error("cannot read back the result file " + result_path);
  std::string next = result_path + ".rows";
  {
    std::ofstream out(next, std::ios::trunc);
    out << with_rows(*text, plan);
    if (!out.flush()) throw std::runtime_error("cannot write " + next);
  }
  if (std::rename(next.c_str(), result_path.c_str()) != 0)
    throw std::runtime_error("cannot replace " + result_path + " with " + next);
}

}  // namespace fpubench
