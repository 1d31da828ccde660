// Time-stamp-counter timing: ordered reads, the TSC rate (from CPUID leaf 0x15 or calibrated
// against CLOCK_MONOTONIC_RAW), and the cost of a begin/end pair so callers can subtract it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bench/cpuid_source.h"

namespace fpubench {

// How the end of an interval reads the TSC. RDTSCP waits for everything before it; many VMs hide
// it, and then LFENCE;RDTSC (the kernel's rdtsc_ordered()) gives the same ordering.
enum class TscRead { kRdtscp, kLfenceRdtsc };
const char* tsc_read_name(TscRead read);  // "rdtscp", "lfence;rdtsc"

namespace detail {
// Set once, by tsc_info(), before anything is timed. LFENCE;RDTSC runs on every CPU with a TSC.
inline TscRead active_tsc_read = TscRead::kLfenceRdtsc;
}  // namespace detail

// LFENCE before RDTSC waits for earlier instructions to finish; the LFENCE after keeps later ones
// from starting before the read.
inline uint64_t tsc_begin() {
  uint32_t lo, hi;
  __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
  return (uint64_t{hi} << 32) | lo;
}

// The closing read; the LFENCE keeps later work out of the interval. The branch on the method is
// always predicted and sits inside the measured overhead, so it is subtracted with it.
inline uint64_t tsc_end() {
  uint32_t lo, hi, aux;
  if (detail::active_tsc_read == TscRead::kRdtscp)
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
  else
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
  return (uint64_t{hi} << 32) | lo;
}

// What CPUID says about the TSC, decided without running anything: testable on recorded dumps.
struct TscPlan {
  TscRead read = TscRead::kRdtscp;
  bool invariant = false;          // constant rate across P-/C-states
  std::optional<double> cpuid_hz;  // leaf 0x15, when enumerated
};
// Throws std::runtime_error when the CPU has no TSC (nothing else to time with).
TscPlan plan_tsc(const CpuidSource& cpu);
// One line for a TSC that is not invariant (its rate follows P-states), or "" when it is.
std::string tsc_warning(const TscPlan& plan);

struct TscInfo {
  double hz = 0;
  std::string source;           // "cpuid.15h" or "calibrated against CLOCK_MONOTONIC_RAW"
  bool invariant = false;       // constant rate across P-/C-states (CPUID 0x80000007 EDX[8])
  uint64_t overhead_ticks = 0;  // minimum of tsc_end() - tsc_begin() with nothing between
  TscRead read = TscRead::kRdtscp;
  double ticks_to_ns(double ticks) const { return ticks * 1e9 / hz; }
  double ns_to_ticks(double ns) const { return ns * hz / 1e9; }
  uint64_t minus_overhead(uint64_t ticks) const {
    return ticks > overhead_ticks ? ticks - overhead_ticks : 0;
  }
};

// The running CPU's plan, measured once per process (calibration takes ~50 ms) and cached.
// Selects the read method for tsc_end() before anything is timed.
const TscInfo& tsc_info();

// The pieces, for tests. measure_tsc makes `plan.read` the active method: the plan must be the
// running CPU's (RDTSCP on a CPU without it faults).
TscInfo measure_tsc(const TscPlan& plan);
double calibrate_tsc_hz();
uint64_t measure_tsc_overhead();

}  // namespace fpubench
