#include "host/app/lab_lines.h"

#include <cstdio>

#include "host/plan/row.h"

namespace fpubench {
namespace {

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
