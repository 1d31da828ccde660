#include "host/harness/histogram_sink.h"

#include <gtest/gtest.h>

namespace fpubench {
namespace {

LatencyRecorder samples(std::initializer_list<uint64_t> v) {
  LatencyRecorder r;
  for (uint64_t t : v) r.add(t);
  return r;
}

TEST(HistogramSink, KeepsOnlyTheReportedRun) {
  HistogramSink sink(1e9);                          // 1 tick = 1 ns
  sink.offer("a", samples({1, 2}), 2);              // an iteration-count probe
  sink.offer("a", samples({1024, 1024, 2048}), 3);  // the run that gets reported
  sink.commit("a", 0, 3);
  sink.commit("b", 0, 3);  // a benchmark without histograms: nothing
  std::string json = sink.to_json();
  EXPECT_NE(json.find("\"name\": \"a\", \"repetition_index\": 0, \"samples\": 3"), std::string::npos) << json;
  EXPECT_NE(json.find("\"buckets\": [161, 177]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"bucket_lower_ns\": [1024, 2048]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"counts\": [2, 1]"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"b\""), std::string::npos);
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
  std::string json = sink.to_json();
  for (int rep = 0; rep < 3; ++rep)
    EXPECT_NE(json.find("\"repetition_index\": " + std::to_string(rep) + ", \"samples\": 2"),
              std::string::npos)
        << json;
  for (const char* lower : {"[16]", "[32]", "[64]"})  // powers of two start buckets
    EXPECT_NE(json.find(std::string("\"bucket_lower_ns\": ") + lower), std::string::npos) << json;
}

}  // namespace
}  // namespace fpubench
