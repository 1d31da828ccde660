#include "host/torture/kernel_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>

namespace fpubench {

bool is_fpu_log_line(const std::string& line) {
  static const std::regex fpu(
      R"(Bad FPU state|x86/fpu|xstate|XSTATE|fpu__|fpregs|kvm_put_guest_fpu|kvm_load_guest_fpu|switch_fpu|os_xrstor|os_xsave|restore_fpregs|save_fpregs)",
      std::regex::optimize);
  return std::regex_search(line, fpu);
}

KernelLogWatch::KernelLogWatch() {
  fd_ = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    why_ = std::string("cannot read /dev/kmsg: ") + std::strerror(errno) +
           " (run as root to scan the kernel log)";
    return;
  }
  lseek(fd_, 0, SEEK_END);  // only what is logged from now on
}

KernelLogWatch::~KernelLogWatch() {
  if (fd_ >= 0) close(fd_);
}

std::vector<std::string> KernelLogWatch::new_fpu_lines() {
  std::vector<std::string> out;
  if (fd_ < 0) return out;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd_, buf, sizeof buf - 1);
    if (n < 0) {
      if (errno == EPIPE) continue;  // records were overwritten; keep reading
      break;                         // EAGAIN: nothing more for now
    }
    // A record: "prio,seq,usec,flags;message\n"
    std::string record(buf, size_t(n));
    auto semi = record.find(';');
    std::string message = semi == std::string::npos ? record : record.substr(semi + 1);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    if (is_fpu_log_line(message)) out.push_back(message);
  }
  return out;
}

}  // namespace fpubench
