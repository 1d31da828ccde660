// The run-wide integrity record. Every suite that checks FPU state (ping-pong, signal, KVM exits,
// irqfd and IPI wake-ups, guest payload checks) reports a difference here; any report fails the
// whole run (exit status 3), so no timing measured on a kernel that corrupts state is published.
#pragma once

#include <benchmark/benchmark.h>

#include <exception>
#include <stdexcept>
#include <string>

namespace fpubench {

// An error a participant raises about its own state; fpu_corruption() when it found its FPU
// registers changed (the kernel lost its state), as opposed to failing for any other reason.
class StateError : public std::runtime_error {
 public:
  StateError(const std::string& what, bool fpu_corruption)
      : std::runtime_error(what), fpu_corruption_(fpu_corruption) {}
  bool fpu_corruption() const { return fpu_corruption_; }

 private:
  bool fpu_corruption_;
};

// Whether a caught exception is a StateError that found FPU state changed (null: no).
bool is_fpu_corruption(std::exception_ptr error);

// `what` names the participant (thread, vCPU), the event, the component and the bytes. Prints one
// line on stderr and marks the run failed.
void report_corruption(const std::string& suite, const std::string& benchmark, const std::string& what);
bool corruption_seen();

// Ends a benchmark that failed: a corruption is reported above, anything else only skips it.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::string& what, bool corruption);
// The same for an exception: a StateError that found FPU state changed is a corruption.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::exception& error);

}  // namespace fpubench
