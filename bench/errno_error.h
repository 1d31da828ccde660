// The one way a failed system call becomes an exception: "<what> failed: <strerror(errno)>".
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace fpubench {

[[noreturn]] inline void throw_errno(const std::string& what) {
  throw std::runtime_error(what + " failed: " + std::strerror(errno));
}

}  // namespace fpubench
