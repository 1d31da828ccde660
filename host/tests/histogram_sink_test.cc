#include "histogram_sink.h"

#include <gtest/gtest.h>

namespace fpubench {
namespace {

LatencyRecorder samples(std::initializer_list<uint64_t> v) {
  LatencyRecorder r;
  for (uint64_t t : v) r.add(t);
  return r;
}

TEST(HistogramSink, KeepsOnlyTheReportedRun) {
  HistogramSink sink(1e9);  // 1 tick = 1 ns
  sink.offer("a", samples({1, 2}));        // an iteration-count probe
  sink.offer("a", samples({1024, 1024, 2048}));  // the run that gets reported
  sink.commit("a", 0);
  sink.commit("b", 0);  // a benchmark without histograms: nothing
  std::string json = sink.to_json();
  EXPECT_NE(json.find("\"name\": \"a\", \"repetition_index\": 0, \"samples\": 3"), std::string::npos) << json;
  EXPECT_NE(json.find("\"buckets\": [161, 177]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"bucket_lower_ns\": [1024, 2048]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"counts\": [2, 1]"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"b\""), std::string::npos);
}

TEST(HistogramSink, EmptyUntilCommitted) {
  HistogramSink sink(1e9);
  sink.offer("a", samples({5}));
  EXPECT_TRUE(sink.empty());
  sink.commit("a", 2);
  EXPECT_FALSE(sink.empty());
}

}  // namespace
}  // namespace fpubench
