// JSON text for what the binary writes itself (the torture summary, probe context, the plan and
// the row fields): nlohmann's, with the environment record as an object in its own order. Google
// Benchmark writes the result files.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/environment.h"

namespace fpubench {

nlohmann::ordered_json context_object(const Context& context);
// Indented text; bytes that are not UTF-8 (a kernel log line may hold any) are replaced, not fatal.
std::string json_text(const nlohmann::ordered_json& j);

}  // namespace fpubench
