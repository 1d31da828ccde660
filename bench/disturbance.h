// What disturbed a benchmark's PUs while it measured, read from procfs before and after one
// repetition: device interrupts delivered to those PUs (numbered lines of /proc/interrupts; the
// timer, rescheduling and call-function IPIs that the benchmark causes itself are not counted),
// steal time on them (/proc/stat: the hypervisor ran something else), and involuntary context
// switches of the benchmark's threads (another task took their PU). Parsers take the files' text,
// so they are tested on recorded inputs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fpubench {

struct Disturbance {
  uint64_t device_irqs = 0;
  uint64_t steal_ticks = 0;  // USER_HZ ticks (10 ms on Linux)
  uint64_t preemptions = 0;  // involuntary switches of the benchmark threads
};

// Sum over `cpus` of every numbered (device) interrupt line in /proc/interrupts text.
uint64_t device_interrupts_on(const std::string& proc_interrupts, const std::vector<int>& cpus);
// Sum over `cpus` of the steal column of /proc/stat text.
uint64_t steal_ticks_on(const std::string& proc_stat, const std::vector<int>& cpus);
// nonvoluntary_ctxt_switches of a /proc/<pid>/task/<tid>/status text; 0 when absent.
uint64_t nonvoluntary_switches(const std::string& task_status);

class DisturbanceProbe {
 public:
  // The PUs are those the threads may run on. `count_preemptions` is false where involuntary
  // switches are the benchmark itself (sched_yield counts as one).
  DisturbanceProbe(const std::vector<pid_t>& tids, bool count_preemptions, std::string proc = "/proc");
  void start();
  // The disturbance since start().
  Disturbance stop() const;
  bool counts_preemptions() const { return count_preemptions_; }
  const std::vector<int>& cpus() const { return cpus_; }

 private:
  Disturbance read() const;
  std::vector<pid_t> tids_;
  std::vector<int> cpus_;
  bool count_preemptions_;
  std::string proc_;
  Disturbance at_start_;
};

}  // namespace fpubench
