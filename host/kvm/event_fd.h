// An eventfd, move-only: what irqfd and ioeventfd speak.
#pragma once

#include <cstdint>

namespace fpubench {

class EventFd {
 public:
  EventFd();  // throws std::runtime_error
  EventFd(EventFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  EventFd& operator=(EventFd&&) = delete;
  EventFd(const EventFd&) = delete;
  ~EventFd();
  int fd() const { return fd_; }
  void signal();    // add 1
  uint64_t wait();  // block until non-zero, return and reset the count

 private:
  int fd_ = -1;
};

}  // namespace fpubench
