// No vector registers here either: signal() and wait() run between a thread's pattern load and its
// check in the KVM wake-up benchmarks (built with -mgeneral-regs-only).
#include "host/kvm/event_fd.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace fpubench {

EventFd::EventFd() : fd_(eventfd(0, EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error(std::string("eventfd failed: ") + std::strerror(errno));
}

EventFd::~EventFd() {
  if (fd_ >= 0) close(fd_);
}

void EventFd::signal() {
  uint64_t one = 1;
  while (write(fd_, &one, sizeof one) != ssize_t(sizeof one))
    if (errno != EINTR)
      throw std::runtime_error(std::string("eventfd write failed: ") + std::strerror(errno));
}

uint64_t EventFd::wait() {
  uint64_t v = 0;
  while (read(fd_, &v, sizeof v) != ssize_t(sizeof v))
    if (errno != EINTR) throw std::runtime_error(std::string("eventfd read failed: ") + std::strerror(errno));
  return v;
}

}  // namespace fpubench
