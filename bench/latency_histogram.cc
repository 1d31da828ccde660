#include "bench/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace fpubench {

void LatencyRecorder::sort() const {
  if (!sorted_) std::sort(samples_.begin(), samples_.end());
  sorted_ = true;
}

uint64_t LatencyRecorder::percentile(double p) const {
  if (samples_.empty()) throw std::logic_error("percentile of no samples");
  sort();
  // The epsilon keeps 99.9% of 1000 at rank 999 despite 99.9 / 100 * 1000 = 999.0000000000001.
  size_t rank = size_t(std::ceil(p / 100.0 * double(samples_.size()) - 1e-9));
  rank = std::clamp<size_t>(rank, 1, samples_.size());
  return samples_[rank - 1];
}

double LatencyRecorder::mean() const {
  if (samples_.empty()) throw std::logic_error("mean of no samples");
  return std::accumulate(samples_.begin(), samples_.end(), 0.0) / double(samples_.size());
}

uint64_t LatencyRecorder::max() const {
  if (samples_.empty()) throw std::logic_error("max of no samples");
  return *std::max_element(samples_.begin(), samples_.end());
}

unsigned LatencyRecorder::bucket_of(uint64_t ticks) {
  if (ticks < 1) return 0;
  // Exact powers of two land at the start of their octave.
  unsigned octave = 63 - unsigned(__builtin_clzll(ticks));
  double frac = double(ticks) / double(uint64_t{1} << octave);  // [1, 2)
  unsigned sub = unsigned(std::log2(frac) * kBucketsPerOctave);
  while (sub > 0 && bucket_lower(1 + octave * kBucketsPerOctave + sub) > double(ticks)) --sub;
  return 1 + octave * kBucketsPerOctave + std::min(sub, kBucketsPerOctave - 1);
}

double LatencyRecorder::bucket_lower(unsigned bucket) {
  if (bucket == 0) return 0;
  unsigned b = bucket - 1;
  return std::exp2(double(b / kBucketsPerOctave) + double(b % kBucketsPerOctave) / kBucketsPerOctave);
}

std::map<unsigned, uint64_t> LatencyRecorder::histogram() const {
  std::map<unsigned, uint64_t> h;
  for (uint64_t s : samples_) ++h[bucket_of(s)];
  return h;
}

}  // namespace fpubench
