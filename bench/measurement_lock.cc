#include "bench/measurement_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "bench/errno_error.h"

namespace fpubench {
namespace {

std::string read_holder(int fd) {
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "another fpubench measurement";
  std::string s(buf, size_t(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s.empty() ? "another fpubench measurement" : s;
}

void write_holder(int fd, const std::string& what) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  std::string line = "pid " + std::to_string(getpid()) + ", " + what + ", since " + stamp + "\n";
  // Best effort: the lock is the flock, this text only names its holder.
  if (ftruncate(fd, 0) == 0 && pwrite(fd, line.data(), line.size(), 0) < 0) return;
}

}  // namespace

std::string measurement_lock_path() {
  const char* env = std::getenv("FPUBENCH_LOCK");
  return env && *env ? env : "/run/lock/fpubench.lock";
}

MeasurementLock::MeasurementLock(const std::string& path, Mode mode, const std::string& what,
                                 const std::function<void(const std::string&)>& on_wait) {
  // 0666 and no O_TRUNC: every user must be able to open the one file, whoever created it.
  mode_t old = umask(0);
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  umask(old);
  if (fd_ < 0)
    throw std::runtime_error("cannot open the measurement lock " + path + " (" + std::strerror(errno) +
                             "): set FPUBENCH_LOCK to a file every user of this machine can write");
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      close(fd_);
      throw_errno("flock(" + path + ")");
    }
    std::string holder = read_holder(fd_);
    if (mode == Mode::kRefuse) {
      close(fd_);
      throw std::runtime_error("another measurement is running on this machine (" + holder +
                               "); two at once would time each other: wait for it, or drop --no-wait");
    }
    at_once_ = false;
    on_wait(holder);
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      close(fd_);
      throw_errno("flock(" + path + ")");
    }
  }
  write_holder(fd_, what);
}

MeasurementLock::~MeasurementLock() {
  if (fd_ < 0) return;
  if (ftruncate(fd_, 0) != 0) { /* the next holder rewrites it */
  }
  close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace fpubench
