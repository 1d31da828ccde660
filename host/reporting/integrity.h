// The run-wide integrity record. Every suite that checks FPU state (ping-pong, signal, KVM exits,
// irqfd and IPI wake-ups, guest payload checks) reports a difference here; any report fails the
// whole run (exit status 3), so no timing measured on a kernel that corrupts state is published.
#pragma once

#include <benchmark/benchmark.h>

#include <exception>
#include <string>

namespace fpubench {

// `what` names the participant (thread, vCPU), the event, the component and the bytes. Prints one
// line on stderr and marks the run failed.
void report_corruption(const std::string& suite, const std::string& benchmark, const std::string& what);
bool corruption_seen();

// Ends a benchmark that failed: a corruption is reported above, anything else only skips it.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::string& what, bool corruption);
// The same for an exception: a guest's FPU check failing (GuestError) is a corruption.
void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::exception& error);

}  // namespace fpubench
