// One perf_event_open counter on one thread, move-only, with time_enabled/time_running read so a
// multiplexed count can be scaled; and the one-sentence reason when the kernel refuses one.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "bench/event_names.h"

namespace fpubench {

struct CounterValue {
  uint64_t raw = 0, enabled_ns = 0, running_ns = 0;
  // Extrapolated to the whole enabled time when the event was multiplexed.
  double scaled() const {
    return running_ns == 0 ? 0.0 : double(raw) * double(enabled_ns) / double(running_ns);
  }
  // 1.0: counted the whole time (exact); less: an estimate.
  double running_fraction() const { return enabled_ns == 0 ? 1.0 : double(running_ns) / double(enabled_ns); }
};

class PerfEvent {
 public:
  // Opens `event` on thread `tid` (0: the calling thread), disabled. Throws std::runtime_error
  // with explain_open_failure()'s sentence.
  PerfEvent(const ResolvedEvent& event, pid_t tid);
  PerfEvent(PerfEvent&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  PerfEvent& operator=(PerfEvent&& o) noexcept;
  PerfEvent(const PerfEvent&) = delete;
  PerfEvent& operator=(const PerfEvent&) = delete;
  ~PerfEvent();

  void enable();
  void disable();
  CounterValue read() const;

 private:
  int fd_ = -1;
};

// Why perf_event_open failed with `err` for `event`, and what to do. `sysroot` is where /proc and
// /sys are read (tests inject a tree).
std::string explain_open_failure(int err, const ResolvedEvent& event, const std::string& sysroot = "");

// Whether /sys/bus/event_source/devices holds a CPU PMU (cpu, cpu_core, cpu_atom, armv8_*...).
bool has_hardware_pmu(const std::string& sysroot = "");

}  // namespace fpubench
