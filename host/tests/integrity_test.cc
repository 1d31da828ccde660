// The run-wide integrity record: a guest finding its FPU state changed fails the run like a host
// thread does; any other failure only skips its benchmark.
#include "host/harness/timed_benchmark.h"

#include <gtest/gtest.h>
#include <linux/kvm.h>

#include "host/kvm/guest_call.h"

namespace fpubench {
namespace {

class NullReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

void run_one(const std::string& name) {
  NullReporter quiet;
  benchmark::RunSpecifiedBenchmarks(&quiet, "^" + name + "$");
}

// Registered once: tests run in one process, and the record is process-wide by design.
TEST(Integrity, AnOrdinaryFailureSkipsAGuestFpuCorruptionFailsTheRun) {
  benchmark::RegisterBenchmark("integrity/plain-error", [](benchmark::State& st) {
    for (auto _ : st) {
    }
    fail_benchmark(st, "kvm", "integrity/plain-error",
                   GuestError("emulation failure", KVM_EXIT_INTERNAL_ERROR, 1));
  });
  benchmark::RegisterBenchmark("integrity/guest-corruption", [](benchmark::State& st) {
    for (auto _ : st) {
    }
    fail_benchmark(st, "kvm", "integrity/guest-corruption",
                   GuestError("the guest's FPU state changed", KVM_EXIT_IO, 0, true));
  });
  run_one("integrity/plain-error");
  EXPECT_FALSE(corruption_seen());
  ::testing::internal::CaptureStderr();
  run_one("integrity/guest-corruption");
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(corruption_seen());
  EXPECT_NE(err.find("FPU state corrupted in suite kvm, benchmark integrity/guest-corruption: the guest's "
                     "FPU state changed"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace fpubench
