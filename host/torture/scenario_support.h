// What the torture scenarios share: the components they fill, a stop flag set when a scenario's
// time is up, and how a corruption is worded.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "bench/state_check.h"
#include "host/torture/torture.h"

namespace fpubench {

// Every component fpubench controls, AMX included when granted.
inline uint64_t all_of(const TortureSetup& s) { return s.regs.controllable(); }

// Sets `flag` when the scenario's time is up (or Ctrl-C), from a thread of its own.
class StopAtDeadline {
 public:
  explicit StopAtDeadline(const TortureSetup& s)
      : thread_([this, &s] {
          while (!done_ && !s.out_of_time()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
          flag.store(true);
        }) {}
  ~StopAtDeadline() {
    done_ = true;
    thread_.join();
  }
  std::atomic<bool> flag{false};

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

inline std::string corruption(const char* who, const std::string& after, const Mismatch& m) {
  return std::string(who) + " after " + after + ": " + m.describe();
}

// The scenarios, host ones (host_scenarios.cc) then KVM ones (kvm_scenarios.cc).
ScenarioResult host_pingpong(const TortureSetup& s);
ScenarioResult host_migration(const TortureSetup& s);
ScenarioResult host_signals(const TortureSetup& s);
ScenarioResult host_fork_exec(const TortureSetup& s);
ScenarioResult host_preemption(const TortureSetup& s);
ScenarioResult kvm_exits(const TortureSetup& s);
ScenarioResult kvm_irqfd(const TortureSetup& s);
ScenarioResult kvm_state_io(const TortureSetup& s);
ScenarioResult kvm_migration(const TortureSetup& s);
ScenarioResult kvm_reset(const TortureSetup& s);

}  // namespace fpubench
