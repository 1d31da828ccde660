// --progress: one line on stderr as each benchmark repetition starts, "[37/95] name (about 40 s
// left)", for the wrapper to show while the suite runs. Google Benchmark calls a benchmark several
// times in its first repetition, with a growing iteration count (probes), and once per later
// repetition with the count it settled on: a call starts a repetition unless it continues the
// previous call's benchmark with more iterations.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fpubench {

class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void started(const std::string& benchmark, int64_t iterations);
  size_t done() const { return count_; }

 private:
  size_t total_, count_ = 0;
  bool enabled_;
  std::string last_;
  int64_t last_iterations_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace fpubench
