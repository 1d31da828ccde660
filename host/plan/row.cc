#include "host/plan/row.h"

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

}  // namespace fpubench
