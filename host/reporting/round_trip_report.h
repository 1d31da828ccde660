// The counters every round-trip benchmark reports (mean and nearest-rank percentiles of every
// round trip, in ns) and the hand-over of its histogram.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "histogram_sink.h"
#include "latency_histogram.h"
#include "tsc_clock.h"

namespace fpubench {

void report_round_trips(benchmark::State& st, const LatencyRecorder& rec, const TscInfo& tsc,
                        const std::string& name, HistogramSink* sink);

}  // namespace fpubench
