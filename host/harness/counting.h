// --counters for benchmarks: the run's counter plan, and per-benchmark counting on the threads that
// do the work, reported per operation as Google Benchmark counters: "<event>/op", "<event>/total"
// and "<event>/running" (the fraction of time counted; below 1 the count is a scaled estimate).
// Always, whatever was asked: what disturbed the benchmark's PUs in this repetition
// ("disturbed.device_irqs", "disturbed.steal_ticks", "disturbed.preemptions"; see disturbance.h).
#pragma once

#include <benchmark/benchmark.h>
#include <sys/types.h>

#include <memory>
#include <vector>

#include "bench/counters.h"
#include "bench/disturbance.h"

namespace fpubench {

void set_counter_plan(CounterPlan plan);
const CounterPlan& counter_plan();

class BenchmarkCounting {
 public:
  // Counts the planned events on `tids`, and what disturbed their PUs. `preemptions_are_disturbances`
  // is false where the threads switch involuntarily by design (sched_yield).
  // Throws std::runtime_error when a thread cannot be counted.
  explicit BenchmarkCounting(const std::vector<pid_t>& tids, bool preemptions_are_disturbances = true);
  void start();
  void stop();
  void report(benchmark::State& state, double operations) const;

 private:
  std::unique_ptr<ThreadCounters> counters_;
  DisturbanceProbe disturbance_;
  Disturbance disturbed_;
};

pid_t current_tid();

}  // namespace fpubench
