#include "host/reference/reference_bench.h"

#include "bench/latency_histogram.h"

namespace fpubench {
namespace {

// About a microsecond of dependent integer work: long enough to time, short enough to repeat.
constexpr unsigned kRounds = 1024;

void run_reference(benchmark::State& st, const TscInfo& tsc) {
  LatencyRecorder rec;
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (auto _ : st) {
    uint64_t t0 = tsc_begin();
    x = reference_work(x, kRounds);
    uint64_t ticks = tsc.minus_overhead(tsc_end() - t0);
    benchmark::DoNotOptimize(x);
    rec.add(ticks);
    st.SetIterationTime(tsc.ticks_to_ns(double(ticks)) * 1e-9);
  }
  if (rec.count() == 0) return;
  st.counters["ns_per_op"] = tsc.ticks_to_ns(double(rec.percentile(50)));
}

}  // namespace

uint64_t reference_work(uint64_t x, unsigned rounds) {
  for (unsigned i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

void plan_reference_suite(const TscInfo& tsc, SuitePlan& plan) {
  plan.add("reference/user-loop", [&tsc](benchmark::State& st) { run_reference(st, tsc); });
}

}  // namespace fpubench
