// Full latency histograms for the reporting scripts, written beside the Google Benchmark JSON
// (--histograms-out=FILE). A benchmark hands over its histogram after each run with its iteration
// count; Google Benchmark reports every repetition of a benchmark at once, and each reported
// repetition takes the oldest offered run with its iteration count (the runs before it were
// iteration-count probes). So every repetition's distribution is kept under its own index.
#pragma once

#include <benchmark/benchmark.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "bench/latency_histogram.h"

namespace fpubench {

class HistogramSink {
 public:
  explicit HistogramSink(double tsc_hz) : tsc_hz_(tsc_hz) {}
  // A run of `benchmark` (its registered name) of `iterations` iterations.
  void offer(const std::string& benchmark, const LatencyRecorder& recorder, int64_t iterations);
  // A reported repetition of `benchmark`: its run becomes part of the output.
  void commit(const std::string& benchmark, int64_t repetition_index, int64_t iterations);
  // JSON: {"tsc_hz": .., "buckets_per_octave": B, "histograms": [{"name", "repetition_index",
  // "samples", "buckets": [..], "bucket_lower_ns": [..], "counts": [..]}]}. Bucket b >= 1 starts
  // at 2^((b - 1) / B) TSC ticks; bucket 0 holds zero.
  std::string to_json() const;
  void write(const std::string& path) const;  // throws std::runtime_error
  bool empty() const { return committed_.empty(); }

 private:
  struct Entry {
    std::string name;
    int64_t repetition_index;
    int64_t iterations;
    uint64_t samples;
    std::map<unsigned, uint64_t> buckets;
  };
  double tsc_hz_;
  std::map<std::string, std::deque<Entry>> pending_;
  std::vector<Entry> committed_;
};

// Forwards everything to the display reporter and commits histograms of the runs it reports.
class HistogramCommittingReporter final : public benchmark::BenchmarkReporter {
 public:
  HistogramCommittingReporter(benchmark::BenchmarkReporter* inner, HistogramSink* sink)
      : inner_(inner), sink_(sink) {}
  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override { inner_->Finalize(); }

 private:
  benchmark::BenchmarkReporter* inner_;
  HistogramSink* sink_;
};

}  // namespace fpubench
