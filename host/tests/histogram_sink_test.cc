#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "host/harness/timed_benchmark.h"

namespace fpubench {
namespace {

LatencyRecorder samples(std::initializer_list<uint64_t> v) {
  LatencyRecorder r;
  for (uint64_t t : v) r.add(t);
  return r;
}

nlohmann::json histograms(const HistogramSink& sink) {
  return nlohmann::json::parse(sink.to_json())["histograms"];
}

TEST(HistogramSink, KeepsOnlyTheReportedRun) {
  HistogramSink sink(1e9);                          // 1 tick = 1 ns
  sink.offer("a", samples({1, 2}), 2);              // an iteration-count probe
  sink.offer("a", samples({1024, 1024, 2048}), 3);  // the run that gets reported
  sink.commit("a", 0, 3);
  sink.commit("b", 0, 3);  // a benchmark without histograms: nothing
  nlohmann::json j = nlohmann::json::parse(sink.to_json());
  EXPECT_EQ(j["tsc_hz"], 1000000000);
  EXPECT_EQ(j["buckets_per_octave"], LatencyRecorder::kBucketsPerOctave);
  ASSERT_EQ(j["histograms"].size(), 1u) << j;
  const nlohmann::json& a = j["histograms"][0];
  EXPECT_EQ(a["name"], "a");
  EXPECT_EQ(a["repetition_index"], 0);
  EXPECT_EQ(a["samples"], 3);
  EXPECT_EQ(a["buckets"], nlohmann::json({161, 177}));
  EXPECT_EQ(a["bucket_lower_ns"], nlohmann::json({1024.0, 2048.0}));
  EXPECT_EQ(a["counts"], nlohmann::json({2, 1}));
}

TEST(HistogramSink, EmptyUntilCommitted) {
  HistogramSink sink(1e9);
  sink.offer("a", samples({5}), 1);
  EXPECT_TRUE(sink.empty());
  sink.commit("a", 2, 1);
  EXPECT_FALSE(sink.empty());
}

TEST(HistogramSink, KeepsEveryRepetitionUnderItsOwnIndex) {
  // Google Benchmark reports all repetitions at once, after probes and interleaved other work.
  HistogramSink sink(1e9);
  sink.offer("a", samples({1}), 1);       // probe of repetition 0
  sink.offer("a", samples({16, 16}), 2);  // repetition 0
  sink.offer("a", samples({32, 32}), 2);  // repetition 1
  sink.offer("a", samples({64, 64}), 2);  // repetition 2
  for (int rep = 0; rep < 3; ++rep) sink.commit("a", rep, 2);
  nlohmann::json h = histograms(sink);
  ASSERT_EQ(h.size(), 3u) << h;
  const double lower[] = {16, 32, 64};  // powers of two start buckets
  for (int rep = 0; rep < 3; ++rep) {
    EXPECT_EQ(h[rep]["repetition_index"], rep);
    EXPECT_EQ(h[rep]["samples"], 2);
    EXPECT_EQ(h[rep]["bucket_lower_ns"], nlohmann::json({lower[rep]}));
  }
}

TEST(HistogramSink, NamesAreJsonStrings) {
  HistogramSink sink(1e9);
  sink.offer("a\"b\\c", samples({8}), 1);
  sink.commit("a\"b\\c", 0, 1);
  EXPECT_EQ(histograms(sink)[0]["name"], "a\"b\\c");
}

}  // namespace
}  // namespace fpubench
