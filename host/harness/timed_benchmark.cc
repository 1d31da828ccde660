#include "host/harness/timed_benchmark.h"

#include <algorithm>
#include <optional>
#include <random>
#include <stdexcept>

#include "host/harness/counting.h"
#include "host/harness/integrity.h"

namespace fpubench {

std::vector<pid_t> TimedBody::threads() const { return {current_tid()}; }

bool TimedBody::round_trips(bool, unsigned, uint64_t*) {
  throw std::logic_error("this benchmark has no paired sides");
}

namespace {

// The counters every round-trip row reports (mean and nearest-rank percentiles of every round
// trip, in ns), and the hand-over of its histogram.
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

class TwoBodies : public TimedBody {
 public:
  TwoBodies(std::unique_ptr<TimedBody> held, std::unique_ptr<TimedBody> init)
      : held_(std::move(held)), init_(std::move(init)) {}
  std::vector<pid_t> threads() const override {
    std::vector<pid_t> t = held_->threads();
    for (pid_t tid : init_->threads())
      if (std::find(t.begin(), t.end(), tid) == t.end()) t.push_back(tid);
    return t;
  }
  bool preemptions_are_disturbances() const override { return held_->preemptions_are_disturbances(); }
  bool step(Step& step) override { return round_trips(true, 1, &step.ticks); }
  bool round_trips(bool held, unsigned n, uint64_t* ticks) override {
    TimedBody& side = held ? *held_ : *init_;
    for (unsigned i = 0; i < n; ++i) {
      Step one;
      if (!side.step(one)) {
        failure = side.failure;  // or left for finish() to say
        return false;
      }
      ticks[i] = one.ticks;
    }
    return true;
  }
  Failure finish() override {
    Failure h = held_->finish(), i = init_->finish();
    return h.what.empty() ? i : h;
  }

 private:
  std::unique_ptr<TimedBody> held_, init_;
};

// The iterations, timed; false when one failed.
bool time_iterations(benchmark::State& st, const TscInfo& tsc, TimedBody& body, Totals& totals) {
  for (auto _ : st) {
    Step step;
    if (!body.step(step)) return false;
    if (step.host_timed) step.ticks = tsc.minus_overhead(step.ticks);
    if (step.samples.empty()) {
      totals.samples.add(step.ticks);
    } else {
      for (uint64_t s : step.samples) totals.samples.add(s);
    }
    totals.ticks += double(step.ticks);
    totals.operations += step.operations;
    totals.best_ticks = std::min(totals.best_ticks, step.ticks);
    st.SetIterationTime(tsc.ticks_to_ns(double(step.ticks)) * 1e-9);
  }
  return true;
}

// The iterations of a paired row: one ABBA quad each, timed by its round trips.
bool time_quads(benchmark::State& st, const TscInfo& tsc, TimedBody& body, PairedBlocks& blocks) {
  auto run = [&body](bool held, unsigned n, uint64_t* ticks) { return body.round_trips(held, n, ticks); };
  for (auto _ : st) {
    uint64_t ticks = 0;
    if (!blocks.quad(run, &ticks)) return false;
    st.SetIterationTime(tsc.ticks_to_ns(double(ticks)) * 1e-9);
  }
  return true;
}

void report_pair(benchmark::State& st, const PairedBlocks& blocks, const TscInfo& tsc) {
  PairedFigures f = blocks.figures();
  st.counters["init_rtt_p50_ns"] = tsc.ticks_to_ns(f.init_p50);
  st.counters["cost_p50_ns"] = tsc.ticks_to_ns(f.cost);
  if (f.aa) st.counters["aa_cost_p50_ns"] = tsc.ticks_to_ns(*f.aa);
}

}  // namespace

std::unique_ptr<TimedBody> pair_of(std::unique_ptr<TimedBody> held, std::unique_ptr<TimedBody> init) {
  return std::make_unique<TwoBodies>(std::move(held), std::move(init));
}

void run_timed(benchmark::State& st, const HarnessContext& h, const std::string& suite,
               const std::string& name, Figure figure,
               const std::function<std::unique_ptr<TimedBody>()>& make) {
  Totals totals;
  std::unique_ptr<TimedBody> body;
  std::unique_ptr<BenchmarkCounting> counting;
  std::optional<PairedBlocks> blocks;
  if (figure == Figure::kPairedRoundTrips)
    blocks.emplace(h.paired, h.tsc->overhead_ticks, std::random_device{}());
  try {
    body = make();
    counting = std::make_unique<BenchmarkCounting>(body->threads(), body->preemptions_are_disturbances());
    counting->start();
    bool completed =
        blocks ? time_quads(st, *h.tsc, *body, *blocks) : time_iterations(st, *h.tsc, *body, totals);
    counting->stop();
    Failure failure = completed ? Failure{} : body->failure;
    if (Failure late = body->finish(); failure.what.empty()) failure = late;
    if (!failure.what.empty()) {
      fail_benchmark(st, suite, name, failure.what, failure.corruption);
      return;
    }
  } catch (const std::exception& e) {
    fail_benchmark(st, suite, name, e);
    return;
  }
  const TscInfo& tsc = *h.tsc;
  if (blocks) {
    // Counts cover both sides' round trips, the discarded ones too: a switch happens as often with
    // the state held as without (what differs is its cost).
    report_round_trips(st, blocks->held(), tsc, name, h.histograms);
    report_pair(st, *blocks, tsc);
    body->report(st, totals);
    counting->report(st, double(blocks->round_trips()));
    return;
  }
  if (figure == Figure::kRoundTrips) {
    report_round_trips(st, totals.samples, tsc, name, h.histograms);
  } else if (figure == Figure::kPerOperation && totals.operations > 0) {
    st.counters["ticks_per_op"] = totals.ticks / totals.operations;
    st.counters["ns_per_op"] = tsc.ticks_to_ns(totals.ticks / totals.operations);
  }
  body->report(st, totals);
  counting->report(st, figure == Figure::kRoundTrips ? double(totals.samples.count()) : totals.operations);
}

}  // namespace fpubench
