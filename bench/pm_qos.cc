#include "bench/pm_qos.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace fpubench {

PmQosHold::PmQosHold(const std::string& device, int latency_us) {
  fd_ = open(device.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) {
    state_ = errno == ENOENT ? "not present (" + device + ")"
                             : "not held: cannot open " + device + " (" + std::strerror(errno) + ")";
    return;
  }
  // The device takes a binary 32-bit value; the request lasts as long as the file stays open.
  int32_t value = latency_us;
  if (write(fd_, &value, sizeof value) != ssize_t(sizeof value)) {
    state_ = "not held: writing " + device + " failed (" + std::strerror(errno) + ")";
    close(fd_);
    fd_ = -1;
    return;
  }
  state_ = "held at " + std::to_string(latency_us) + " us";
}

PmQosHold PmQosHold::off() {
  PmQosHold h;
  h.state_ = "off (--no-pm-qos)";
  return h;
}

PmQosHold::PmQosHold(PmQosHold&& other) noexcept : fd_(other.fd_), state_(std::move(other.state_)) {
  other.fd_ = -1;
}

PmQosHold::~PmQosHold() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace fpubench
