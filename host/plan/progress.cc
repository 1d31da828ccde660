#include "host/plan/progress.h"

#include <cstdio>

namespace fpubench {

void Progress::started(const std::string& benchmark, int64_t iterations) {
  bool probe = benchmark == last_ && iterations > last_iterations_;
  last_ = benchmark;
  last_iterations_ = iterations;
  if (probe) return;
  ++count_;
  if (!enabled_) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double left =
      count_ > 1 ? elapsed / double(count_ - 1) * double(total_ > count_ ? total_ - count_ + 1 : 0) : 0;
  std::fprintf(stderr, "fpubench: [%zu/%zu] %s (about %.0f s left)\n", count_, total_, benchmark.c_str(),
               left);
}

}  // namespace fpubench
