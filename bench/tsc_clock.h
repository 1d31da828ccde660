// Time-stamp-counter timing: ordered reads, the TSC rate (from CPUID leaf 0x15 or calibrated
// against CLOCK_MONOTONIC_RAW), and the cost of a begin/end pair so callers can subtract it.
#pragma once

#include <cstdint>
#include <string>

#include "cpuid_source.h"

namespace fpubench {

// LFENCE before RDTSC waits for earlier instructions to finish; the LFENCE after keeps later ones
// from starting before the read.
inline uint64_t tsc_begin() {
  uint32_t lo, hi;
  __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
  return (uint64_t{hi} << 32) | lo;
}

// RDTSCP waits for everything before it; the LFENCE keeps later work out of the interval.
inline uint64_t tsc_end() {
  uint32_t lo, hi, aux;
  __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
  return (uint64_t{hi} << 32) | lo;
}

struct TscInfo {
  double hz = 0;
  std::string source;      // "cpuid.15h" or "calibrated against CLOCK_MONOTONIC_RAW"
  bool invariant = false;  // constant rate across P-/C-states (CPUID 0x80000007 EDX[8])
  uint64_t overhead_ticks = 0;  // minimum of tsc_end() - tsc_begin() with nothing between
  double ticks_to_ns(double ticks) const { return ticks * 1e9 / hz; }
  double ns_to_ticks(double ns) const { return ns * hz / 1e9; }
  uint64_t minus_overhead(uint64_t ticks) const { return ticks > overhead_ticks ? ticks - overhead_ticks : 0; }
};

// Measured once per process (calibration takes ~50 ms) and cached.
const TscInfo& tsc_info();

// The pieces, for tests and other sources.
TscInfo make_tsc_info(const CpuidSource& cpu);
double calibrate_tsc_hz();
uint64_t measure_tsc_overhead();

}  // namespace fpubench
