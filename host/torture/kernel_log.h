// New kernel log lines during a run that speak of FPU/xstate trouble: "Bad FPU state", x86/fpu
// warnings, WARNING splats with fpu/xstate/kvm frames. Reads /dev/kmsg from the point the watch
// started (records already there are skipped), without blocking.
#pragma once

#include <string>
#include <vector>

namespace fpubench {

class KernelLogWatch {
 public:
  KernelLogWatch();  // positions at the end of the log; available() says whether it can read it
  ~KernelLogWatch();
  KernelLogWatch(const KernelLogWatch&) = delete;
  KernelLogWatch& operator=(const KernelLogWatch&) = delete;

  bool available() const { return fd_ >= 0; }
  const std::string& why_unavailable() const { return why_; }
  // Matching lines logged since construction (or the last call).
  std::vector<std::string> new_fpu_lines();

 private:
  int fd_ = -1;
  std::string why_;
};

// Whether a log line (or a WARNING splat's following frame lines) is about FPU state.
bool is_fpu_log_line(const std::string& line);

}  // namespace fpubench
