// PM QoS: while a process holds /dev/cpu_dma_latency open with a value written to it, the
// kernel keeps every CPU out of idle states whose exit latency exceeds that value. At 0 an idle
// CPU polls instead of halting, so a wake-up does not pay the idle exit: on a VM whose idle vCPU
// halts in the hypervisor (cpuidle driver haltpoll) a cross-PU round trip drops from ~50 us to
// ~6 us and its spread from tens of percent to a few. fpubench holds it at 0 while it measures,
// as cyclictest does, and records what it held.
#pragma once

#include <string>

namespace fpubench {

class PmQosHold {
 public:
  // Holds `device` at `latency_us` (0: no idle state that needs an exit). A device that is
  // missing or cannot be opened is not an error: state() says what happened.
  PmQosHold(const std::string& device, int latency_us);
  // Not held at all (the user asked not to): state() says so.
  static PmQosHold off();
  ~PmQosHold();
  PmQosHold(PmQosHold&& other) noexcept;
  PmQosHold(const PmQosHold&) = delete;
  PmQosHold& operator=(const PmQosHold&) = delete;

  bool held() const { return fd_ >= 0; }
  // For the result's context: "held at 0 us", "not present (<device>)",
  // "not held: <reason>", or "off (--no-pm-qos)".
  const std::string& state() const { return state_; }

 private:
  PmQosHold() = default;
  int fd_ = -1;
  std::string state_;
};

}  // namespace fpubench
