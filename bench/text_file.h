// Reading a whole text file (procfs, sysfs, recorded profiles): the one place that does it; each
// caller decides what a missing file means. Writing one whole: the output files a run leaves.
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

// Writes `text` to a temporary file beside `path` and renames it over `path`: a reader, or a run
// that dies, sees the previous file or the new one, never part of one. Throws std::runtime_error
// naming the path and the reason (a full disk, a name too long, a folder that is not writable).
void write_whole_file(const std::string& path, const std::string& text);

}  // namespace fpubench
