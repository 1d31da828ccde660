#include "bench/latency_histogram.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fpubench {
namespace {

LatencyRecorder one_to(uint64_t n) {
  LatencyRecorder r;
  for (uint64_t i = n; i >= 1; --i) r.add(i);  // unsorted on purpose
  return r;
}

TEST(LatencyRecorder, NearestRankPercentilesOfKnownSamples) {
  LatencyRecorder r = one_to(1000);
  EXPECT_EQ(r.percentile(50), 500u);
  EXPECT_EQ(r.percentile(90), 900u);
  EXPECT_EQ(r.percentile(99), 990u);
  EXPECT_EQ(r.percentile(99.9), 999u);
  EXPECT_EQ(r.percentile(100), 1000u);
  EXPECT_EQ(r.max(), 1000u);
  EXPECT_DOUBLE_EQ(r.mean(), 500.5);
}

TEST(LatencyRecorder, SmallSampleCounts) {
  LatencyRecorder r;
  r.add(7);
  EXPECT_EQ(r.percentile(0.1), 7u);
  EXPECT_EQ(r.percentile(99.9), 7u);
  r.add(3);
  EXPECT_EQ(r.percentile(50), 3u);
  EXPECT_EQ(r.percentile(51), 7u);
  EXPECT_THROW(LatencyRecorder().percentile(50), std::logic_error);
}

TEST(LatencyRecorder, TailSampleShowsInP999ButNotP99) {
  LatencyRecorder r;
  for (int i = 0; i < 999; ++i) r.add(100);
  r.add(100000);
  EXPECT_EQ(r.percentile(99), 100u);
  EXPECT_EQ(r.percentile(99.9), 100u);
  EXPECT_EQ(r.percentile(100), 100000u);
  EXPECT_DOUBLE_EQ(r.mean(), (999 * 100 + 100000) / 1000.0);
}

TEST(LatencyRecorder, BucketsAreLogSpacedAndContainTheirSamples) {
  for (uint64_t t : {1ull, 2ull, 3ull, 100ull, 1000ull, 1024ull, 1025ull, 123456789ull}) {
    unsigned b = LatencyRecorder::bucket_of(t);
    EXPECT_LE(LatencyRecorder::bucket_lower(b), double(t)) << t;
    EXPECT_GT(LatencyRecorder::bucket_lower(b + 1), double(t)) << t;
  }
  EXPECT_EQ(LatencyRecorder::bucket_of(1024), 1 + 10 * LatencyRecorder::kBucketsPerOctave);
  double width = LatencyRecorder::bucket_lower(200) / LatencyRecorder::bucket_lower(199);
  EXPECT_NEAR(width, std::exp2(1.0 / LatencyRecorder::kBucketsPerOctave), 1e-12);
}

TEST(LatencyRecorder, HistogramCountsEverySample) {
  LatencyRecorder r = one_to(5000);
  uint64_t total = 0;
  for (auto [bucket, n] : r.histogram()) total += n;
  EXPECT_EQ(total, 5000u);
  // [4096, 4096 * 2^(1/16) = 4277.3) holds 4096..4277.
  EXPECT_EQ(r.histogram().at(LatencyRecorder::bucket_of(4096)), 182u);
}

}  // namespace
}  // namespace fpubench
