#include "host/plan/row.h"

#include <nlohmann/json.hpp>

namespace fpubench {

std::string row_json(const Row& r) {
  nlohmann::ordered_json j = {{"suite", r.suite},
                              {"family", r.family},
                              {"variant", r.variant},
                              {"mechanism", r.mechanism},
                              {"placement", r.placement},
                              {"state", r.state},
                              {"partner_state", r.partner_state},
                              {"condition", r.condition},
                              {"baseline", r.baseline},
                              {"figure", r.figure},
                              {"unit", r.unit},
                              {"selfcheck", r.selfcheck}};
  return j.dump();
}

}  // namespace fpubench
