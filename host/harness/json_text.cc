#include "host/harness/json_text.h"

#include <cstdio>

namespace fpubench {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string context_json(const Context& context, const std::string& indent) {
  std::string out = "{";
  for (size_t i = 0; i < context.size(); ++i)
    out += (i ? ",\n" : "\n") + indent + "  " + json_string(context[i].first) + ": " +
           json_string(context[i].second);
  return out + "\n" + indent + "}";
}

}  // namespace fpubench
