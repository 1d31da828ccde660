#include "host/harness/round_trip_report.h"

namespace fpubench {

void report_round_trips(benchmark::State& st, const LatencyRecorder& rec, const TscInfo& tsc,
                        const std::string& name, HistogramSink* sink) {
  if (rec.count() == 0) return;
  auto ns = [&](double ticks) { return tsc.ticks_to_ns(ticks); };
  st.counters["rtt_mean_ns"] = ns(rec.mean());
  st.counters["rtt_p50_ns"] = ns(double(rec.percentile(50)));
  st.counters["rtt_p90_ns"] = ns(double(rec.percentile(90)));
  st.counters["rtt_p99_ns"] = ns(double(rec.percentile(99)));
  st.counters["rtt_p999_ns"] = ns(double(rec.percentile(99.9)));
  st.counters["rtt_max_ns"] = ns(double(rec.max()));
  st.counters["round_trips"] = double(rec.count());
  if (sink) sink->offer(name, rec, int64_t(st.iterations()));
}

}  // namespace fpubench
