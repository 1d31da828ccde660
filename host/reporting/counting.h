// --counters for benchmarks: the run's counter plan, and per-benchmark counting on the threads that
// do the work, reported per operation as Google Benchmark counters: "<event>/op", "<event>/total"
// and "<event>/running" (the fraction of time counted; below 1 the count is a scaled estimate).
#pragma once

#include <benchmark/benchmark.h>
#include <sys/types.h>

#include <memory>
#include <vector>

#include "counters.h"

namespace fpubench {

void set_counter_plan(CounterPlan plan);
const CounterPlan& counter_plan();

class BenchmarkCounting {
 public:
  // Counts the planned events on `tids`; does nothing when no counters were asked for.
  // Throws std::runtime_error when a thread cannot be counted.
  explicit BenchmarkCounting(const std::vector<pid_t>& tids);
  void start();
  void stop();
  void report(benchmark::State& state, double operations) const;

 private:
  std::unique_ptr<ThreadCounters> counters_;
};

pid_t current_tid();

}  // namespace fpubench
