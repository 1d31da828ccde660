// JSON text for the few places that write it by hand (the torture summary, probe context):
// string escaping and a context object. Google Benchmark writes the result files itself.
#pragma once

#include <string>

#include "bench/environment.h"

namespace fpubench {

std::string json_string(const std::string& s);
std::string context_json(const Context& context, const std::string& indent);

}  // namespace fpubench
