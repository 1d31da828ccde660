#include "host/plan/row.h"

#include <cctype>
#include <stdexcept>
#include <utility>

namespace fpubench {

std::string row_name(const Row& r) {
  std::string name = r.selfcheck.empty() ? "" : "selfcheck/" + r.selfcheck + "/";
  name += r.family;
  if (!r.variant.empty()) name += "/" + r.variant;
  return name;
}

void to_json(nlohmann::ordered_json& j, const Row& r) {
  j = {{"name", row_name(r)},
       {"suite", r.suite},
       {"family", r.family},
       {"variant", r.variant},
       {"mechanism", r.mechanism},
       {"placement", r.placement},
       {"state", r.state},
       {"partner_state", r.partner_state},
       {"condition", r.condition},
       {"baseline", r.baseline},
       {"cost_figure", r.cost_figure},
       {"figure", r.figure},
       {"unit", r.unit},
       {"selfcheck", r.selfcheck},
       {"role", r.role},
       {"better", r.better}};
}

namespace {

std::string component(const std::string& value, const char* what) {
  std::string out;
  for (char c : value) {
    char l = char(std::tolower(static_cast<unsigned char>(c)));
    if (!(std::isalnum(static_cast<unsigned char>(l)) || l == '_' || l == '-'))
      throw std::invalid_argument(std::string("the ") + what + " '" + value +
                                  "' cannot be part of a lab's test name (only a-z, 0-9, '_' and '-')");
    out += l;
  }
  if (out.empty()) throw std::invalid_argument(std::string("a lab's test name needs a ") + what);
  return out;
}

}  // namespace

std::string lab_name(const Row& row, const std::string& figure, bool cost) {
  std::string name = "fpubench.";
  name.append(component(row.suite, "suite")).append(".");
  name.append(component(row.mechanism.empty() ? "none" : row.mechanism, "mechanism"));
  const std::pair<const char*, const std::string*> tagged[] = {{"at", &row.placement},
                                                               {"fpu", &row.state},
                                                               {"peer", &row.partner_state},
                                                               {"condition", &row.condition},
                                                               {"check", &row.selfcheck}};
  for (const auto& [tag, value] : tagged)
    if (!value->empty()) name.append(".").append(tag).append("-").append(component(*value, tag));
  if (cost) name.append(".cost");
  name.append(".").append(component(figure, "figure"));
  if (name.size() > kLabNameMax)
    throw std::invalid_argument("the lab name " + name + " is over " + std::to_string(kLabNameMax) +
                                " characters");
  return name;
}

nlohmann::ordered_json lab_names(const Row& row) {
  return {{"figure", lab_name(row, row.figure)},
          {"cost", row.cost_figure.empty() ? "" : lab_name(row, row.cost_figure, true)}};
}

std::string lab_skip_name(const std::string& pattern) {
  std::string name = "fpubench.skipped", part;
  auto flush = [&] {
    if (!part.empty()) name.append(".").append(part);
    part.clear();
  };
  for (char c : pattern) {
    if (c == '/') {
      flush();
    } else if (c == '*') {
      part += "any";
    } else {
      char l = char(std::tolower(static_cast<unsigned char>(c)));
      part += std::isalnum(static_cast<unsigned char>(l)) || l == '-' || l == '_' ? l : '_';
    }
  }
  flush();
  return name.substr(0, kLabNameMax);
}

}  // namespace fpubench
