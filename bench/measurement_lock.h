// One measurement at a time per machine: two benchmark runs on the same CPUs time each other's
// load. A measurement holds an exclusive flock(2) on one machine-wide file for as long as it
// measures; the file names the holder (pid, command, start time) so a second one can say who
// it waits for.
#pragma once

#include <functional>
#include <string>

namespace fpubench {

// The lock file: $FPUBENCH_LOCK, else /run/lock/fpubench.lock (world-writable and sticky on
// Debian, so an ordinary user's measurement and root's exclude each other too).
std::string measurement_lock_path();

class MeasurementLock {
 public:
  enum class Mode { kWait, kRefuse };
  // Takes the lock. With kWait and the lock held elsewhere, calls `on_wait(holder)` once, then
  // blocks until it is free; with kRefuse, throws std::runtime_error naming the holder. `what`
  // describes this measurement for whoever waits on it next.
  MeasurementLock(const std::string& path, Mode mode, const std::string& what,
                  const std::function<void(const std::string& holder)>& on_wait);
  ~MeasurementLock();
  MeasurementLock(const MeasurementLock&) = delete;
  MeasurementLock& operator=(const MeasurementLock&) = delete;

  // True when the lock was free at once; false when this measurement waited for another.
  bool acquired_at_once() const { return at_once_; }

 private:
  int fd_ = -1;
  bool at_once_ = true;
};

}  // namespace fpubench
