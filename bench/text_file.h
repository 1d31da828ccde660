// Reading a whole text file (procfs, sysfs, recorded profiles): the one place that does it; each
// caller decides what a missing file means. Writing one whole: the output files a run leaves.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace fpubench {

// Throws std::runtime_error for a file of more than `limit` bytes (a device such as /dev/zero
// never ends: no text fpubench reads is that long).
std::optional<std::string> read_whole_file(const std::string& path, size_t limit = size_t{64} << 20);

// Writes `text` to a temporary file beside `path` and renames it over `path`: a reader, or a run
// that dies, sees the previous file or the new one, never part of one. Throws std::runtime_error
// naming the path and the reason (a full disk, a name too long, a folder that is not writable).
void write_whole_file(const std::string& path, const std::string& text);

}  // namespace fpubench
