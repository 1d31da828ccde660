// Full latency histograms for the reporting scripts, written beside the Google Benchmark JSON
// (--histograms-out=FILE). A benchmark hands over its histogram after each run; only the run
// Google Benchmark reports (not its iteration-count probes) is kept, which the wrapping reporter
// learns from ReportRuns.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "latency_histogram.h"

namespace fpubench {

class HistogramSink {
 public:
  explicit HistogramSink(double tsc_hz) : tsc_hz_(tsc_hz) {}
  // The latest run of `benchmark` (its registered name); replaces an earlier pending one.
  void offer(const std::string& benchmark, const LatencyRecorder& recorder);
  // The reported run of `benchmark`: its pending histogram becomes part of the output.
  void commit(const std::string& benchmark, int64_t repetition_index);
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
    uint64_t samples;
    std::map<unsigned, uint64_t> buckets;
  };
  double tsc_hz_;
  std::map<std::string, Entry> pending_;
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
