// The counters every round-trip benchmark reports (mean and nearest-rank percentiles of every
// round trip, in ns) and the hand-over of its histogram (timed_benchmark's Figure::kRoundTrips).
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "bench/latency_histogram.h"
#include "bench/tsc_clock.h"
#include "host/harness/histogram_sink.h"

namespace fpubench {

void report_round_trips(benchmark::State& st, const LatencyRecorder& rec, const TscInfo& tsc,
                        const std::string& name, HistogramSink* sink);

}  // namespace fpubench
