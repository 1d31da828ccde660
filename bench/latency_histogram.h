// Round-trip latencies: every sample kept for exact percentiles, and a log-spaced histogram
// (kBucketsPerOctave buckets per power of two, ~4% wide) for plotting whole distributions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fpubench {

class LatencyRecorder {
 public:
  static constexpr unsigned kBucketsPerOctave = 16;

  void reserve(size_t n) { samples_.reserve(n); }
  void add(uint64_t ticks) {
    samples_.push_back(ticks);
    sorted_ = false;
  }
  size_t count() const { return samples_.size(); }
  const std::vector<uint64_t>& samples() const { return samples_; }

  // Nearest-rank percentile (the smallest sample with at least p% of samples at or below it),
  // p in (0, 100]. Throws std::logic_error when empty.
  uint64_t percentile(double p) const;
  double mean() const;
  uint64_t max() const;

  // Bucket index -> count, only non-empty buckets.
  std::map<unsigned, uint64_t> histogram() const;
  // Bucket b holds samples in [bucket_lower(b), bucket_lower(b + 1)).
  static unsigned bucket_of(uint64_t ticks);
  static double bucket_lower(unsigned bucket);

 private:
  mutable std::vector<uint64_t> samples_;
  mutable bool sorted_ = false;
  void sort() const;
};

}  // namespace fpubench
