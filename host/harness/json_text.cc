#include "host/harness/json_text.h"

namespace fpubench {

nlohmann::ordered_json context_object(const Context& context) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [key, value] : context) out[key] = value;
  return out;
}

std::string json_text(const nlohmann::ordered_json& j) {
  return j.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace fpubench
