#include "host/harness/histogram_sink.h"

#include "bench/text_file.h"

#include <cstdio>
#include <sstream>

namespace fpubench {

void HistogramSink::offer(const std::string& benchmark, const LatencyRecorder& recorder, int64_t iterations) {
  pending_[benchmark].push_back({benchmark, -1, iterations, recorder.count(), recorder.histogram()});
}

void HistogramSink::commit(const std::string& benchmark, int64_t repetition_index, int64_t iterations) {
  std::deque<Entry>& runs = pending_[benchmark];  // empty for a benchmark without histograms
  while (!runs.empty() && runs.front().iterations != iterations) runs.pop_front();  // probes
  if (runs.empty()) return;
  runs.front().repetition_index = repetition_index;
  committed_.push_back(std::move(runs.front()));
  runs.pop_front();
}

std::string HistogramSink::to_json() const {
  std::ostringstream out;
  char num[64];
  std::snprintf(num, sizeof num, "%.0f", tsc_hz_);
  out << "{\n  \"tsc_hz\": " << num << ",\n  \"buckets_per_octave\": " << LatencyRecorder::kBucketsPerOctave
      << ",\n  \"histograms\": [";
  for (size_t i = 0; i < committed_.size(); ++i) {
    const Entry& e = committed_[i];
    out << (i ? "," : "") << "\n    {\"name\": \"" << e.name
        << "\", \"repetition_index\": " << e.repetition_index << ", \"samples\": " << e.samples
        << ",\n     \"buckets\": [";
    bool first_index = true;
    for (auto [bucket, n] : e.buckets) {
      out << (first_index ? "" : ", ") << bucket;
      first_index = false;
    }
    out << "],\n     \"bucket_lower_ns\": [";
    bool first = true;
    for (auto [bucket, n] : e.buckets) {
      std::snprintf(num, sizeof num, "%.6g", LatencyRecorder::bucket_lower(bucket) * 1e9 / tsc_hz_);
      out << (first ? "" : ", ") << num;
      first = false;
    }
    out << "],\n     \"counts\": [";
    first = true;
    for (auto [bucket, n] : e.buckets) {
      out << (first ? "" : ", ") << n;
      first = false;
    }
    out << "]}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

void HistogramSink::write(const std::string& path) const { write_whole_file(path, to_json()); }

void HistogramCommittingReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& r : runs)
    if (r.run_type == Run::RT_Iteration && !r.error_occurred)
      sink_->commit(r.run_name.function_name, r.repetition_index, int64_t(r.iterations));
  inner_->ReportRuns(runs);
}

}  // namespace fpubench
