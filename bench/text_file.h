// Reading a whole text file (procfs, sysfs, recorded profiles): the one place that does it; each
// caller decides what a missing file means.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fpubench {

inline std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) return std::nullopt;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace fpubench
