#include "bench/tsc_clock.h"

#include <time.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace fpubench {
namespace {

uint64_t monotonic_raw_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

}  // namespace

const char* tsc_read_name(TscRead read) { return read == TscRead::kRdtscp ? "rdtscp" : "lfence;rdtsc"; }

TscPlan plan_tsc(const CpuidSource& cpu) {
  if (!cpu_has(cpu, CpuFeature::kTsc))
    throw std::runtime_error(
        "this CPU has no time-stamp counter (CPUID TSC bit clear), which "
        "fpubench times everything with; it cannot run here");
  TscPlan plan;
  plan.read = cpu_has(cpu, CpuFeature::kRdtscp) ? TscRead::kRdtscp : TscRead::kLfenceRdtsc;
  plan.invariant = cpu_has(cpu, CpuFeature::kInvariantTsc);
  plan.cpuid_hz = cpuid_tsc_hz(cpu);
  return plan;
}

std::string tsc_warning(const TscPlan& plan) {
  if (plan.invariant) return "";
  return "the TSC is not invariant (CPUID 0x80000007 EDX[8] clear): its rate may follow "
         "frequency changes, so tick counts mix time and clock speed; pin the frequency "
         "(performance governor, no boost) before comparing runs";
}

double calibrate_tsc_hz() {
  // Five 10 ms windows; the median rejects a window stretched by preemption. Each edge pairs a
  // clock read with the TSC read closest to it.
  std::vector<double> rates;
  for (int i = 0; i < 5; ++i) {
    uint64_t t0 = tsc_begin(), n0 = monotonic_raw_ns();
    uint64_t n1;
    do n1 = monotonic_raw_ns();
    while (n1 - n0 < 10'000'000);
    uint64_t t1 = tsc_end();
    rates.push_back(double(t1 - t0) * 1e9 / double(n1 - n0));
  }
  std::nth_element(rates.begin(), rates.begin() + 2, rates.end());
  return rates[2];
}

uint64_t measure_tsc_overhead() {
  uint64_t best = ~uint64_t{0};
  for (int i = 0; i < 2000; ++i) {
    uint64_t a = tsc_begin();
    uint64_t b = tsc_end();
    best = std::min(best, b - a);
  }
  return best;
}

TscInfo measure_tsc(const TscPlan& plan) {
  detail::active_tsc_read = plan.read;
  TscInfo info;
  info.read = plan.read;
  info.invariant = plan.invariant;
  if (plan.cpuid_hz) {
    info.hz = *plan.cpuid_hz;
    info.source = "cpuid.15h";
  } else {
    info.hz = calibrate_tsc_hz();
    info.source = "calibrated against CLOCK_MONOTONIC_RAW";
  }
  info.overhead_ticks = measure_tsc_overhead();
  return info;
}

const TscInfo& tsc_info() {
  static const TscInfo info = measure_tsc(plan_tsc(HardwareCpuid()));
  return info;
}

}  // namespace fpubench
