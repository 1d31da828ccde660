// The counters every round-trip benchmark reports (mean and nearest-rank percentiles of every
// round trip, in ns) and the hand-over of its histogram.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "bench/latency_histogram.h"
#include "bench/tsc_clock.h"
#include "host/harness/histogram_sink.h"

namespace fpubench {

// The timed loop every round-trip benchmark shares: `one(&ticks)` does one round trip and returns
// false when it failed (having failed the benchmark itself); each round trip's ticks, less the
// timer's own overhead, become the iteration's manual time and one sample of `rec`.
template <typename OneRoundTrip>
void time_round_trips(benchmark::State& st, const TscInfo& tsc, LatencyRecorder& rec, OneRoundTrip one) {
  for (auto _ : st) {
    uint64_t ticks;
    if (!one(&ticks)) break;
    ticks = tsc.minus_overhead(ticks);
    rec.add(ticks);
    st.SetIterationTime(tsc.ticks_to_ns(double(ticks)) * 1e-9);
  }
}

void report_round_trips(benchmark::State& st, const LatencyRecorder& rec, const TscInfo& tsc,
                        const std::string& name, HistogramSink* sink);

}  // namespace fpubench
