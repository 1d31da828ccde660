#include "host/harness/timed_benchmark.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "bench/text_file.h"

namespace fpubench {

// ---- Integrity

namespace {
std::atomic<bool> g_corruption_seen{false};
}  // namespace

void report_corruption(const std::string& suite, const std::string& benchmark, const std::string& what) {
  g_corruption_seen = true;
  std::fprintf(stderr, "fpubench: FPU state corrupted in suite %s, benchmark %s: %s\n", suite.c_str(),
               benchmark.c_str(), what.c_str());
}

bool corruption_seen() { return g_corruption_seen; }

void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::string& what, bool corruption) {
  if (corruption) report_corruption(suite, benchmark, what);
  st.SkipWithError(what.c_str());
}

void fail_benchmark(benchmark::State& st, const std::string& suite, const std::string& benchmark,
                    const std::exception& error) {
  auto* state = dynamic_cast<const StateError*>(&error);
  fail_benchmark(st, suite, benchmark, error.what(), state && state->fpu_corruption());
}

bool is_fpu_corruption(std::exception_ptr error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const StateError& e) {
    return e.fpu_corruption();
  } catch (...) {
    return false;
  }
}

// ---- Counting

namespace {
CounterPlan g_plan;
}

void set_counter_plan(CounterPlan plan) { g_plan = std::move(plan); }
const CounterPlan& counter_plan() { return g_plan; }

pid_t current_tid() { return pid_t(syscall(SYS_gettid)); }

BenchmarkCounting::BenchmarkCounting(const std::vector<pid_t>& tids, bool preemptions_are_disturbances)
    : disturbance_(tids, preemptions_are_disturbances) {
  if (!g_plan.events.empty()) counters_ = std::make_unique<ThreadCounters>(g_plan.events, tids);
}

// The procfs reads sit outside the counted span and outside every timed interval.
void BenchmarkCounting::start() {
  disturbance_.start();
  if (counters_) counters_->start();
}
void BenchmarkCounting::stop() {
  if (counters_) counters_->stop();
  disturbed_ = disturbance_.stop();
}

void BenchmarkCounting::report(benchmark::State& st, double operations) const {
  st.counters["disturbed.device_irqs"] = double(disturbed_.device_irqs);
  st.counters["disturbed.steal_ticks"] = double(disturbed_.steal_ticks);
  if (disturbance_.counts_preemptions())
    st.counters["disturbed.preemptions"] = double(disturbed_.preemptions);
  if (!counters_ || operations <= 0) return;
  for (const CounterReading& r : counters_->read()) {
    st.counters[r.name + "/op"] = r.total / operations;
    st.counters[r.name + "/total"] = r.total;
    st.counters[r.name + "/running"] = r.running_fraction;
  }
}

// ---- Histograms

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
  nlohmann::ordered_json histograms = nlohmann::ordered_json::array();
  for (const Entry& e : committed_) {
    nlohmann::ordered_json buckets = nlohmann::ordered_json::array(), lower_ns = buckets, counts = buckets;
    for (auto [bucket, n] : e.buckets) {
      buckets.push_back(bucket);
      lower_ns.push_back(LatencyRecorder::bucket_lower(bucket) * 1e9 / tsc_hz_);
      counts.push_back(n);
    }
    histograms.push_back({{"name", e.name},
                          {"repetition_index", e.repetition_index},
                          {"samples", e.samples},
                          {"buckets", buckets},
                          {"bucket_lower_ns", lower_ns},
                          {"counts", counts}});
  }
  nlohmann::ordered_json j = {{"tsc_hz", std::llround(tsc_hz_)},
                              {"buckets_per_octave", LatencyRecorder::kBucketsPerOctave},
                              {"histograms", histograms}};
  return j.dump() + "\n";  // one line: a data file for the scripts
}

void HistogramSink::write(const std::string& path) const { write_whole_file(path, to_json()); }

void HistogramCommittingReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& r : runs)
    if (r.run_type == Run::RT_Iteration && !r.error_occurred)
      sink_->commit(r.run_name.function_name, r.repetition_index, int64_t(r.iterations));
  inner_->ReportRuns(runs);
}

// ---- Time-paired blocks

PairedBlocks::PairedBlocks(PairedSettings settings, uint64_t overhead_ticks, uint64_t seed)
    : settings_(settings),
      overhead_(overhead_ticks),
      order_(seed),
      ticks_(settings.discard + settings.block) {
  if (settings.block == 0) throw std::invalid_argument("a paired block needs at least one kept round trip");
}

bool PairedBlocks::block(const RunSide& run, bool held, uint64_t* total) {
  unsigned n = unsigned(ticks_.size());
  if (!run(held, n, ticks_.data())) return false;
  round_trips_ += n;
  LatencyRecorder& half = quads_ % 2 ? init_odd_ : init_even_;
  for (unsigned i = 0; i < n; ++i) {
    uint64_t t = ticks_[i] > overhead_ ? ticks_[i] - overhead_ : 0;
    *total += ticks_[i];
    if (i < settings_.discard) continue;
    (held ? held_ : init_).add(t);
    if (!held) half.add(t);
  }
  return true;
}

bool PairedBlocks::quad(const RunSide& run, uint64_t* total) {
  *total = 0;
  bool held_first = order_() & 1;  // HIIH or IHHI
  for (bool held : {held_first, !held_first, !held_first, held_first})
    if (!block(run, held, total)) return false;
  ++quads_;
  return true;
}

PairedFigures PairedBlocks::figures() const {
  if (held_.count() == 0 || init_.count() == 0) throw std::logic_error("paired figures before any quad");
  PairedFigures f;
  f.held_p50 = double(held_.percentile(50));
  f.init_p50 = double(init_.percentile(50));
  f.cost = f.held_p50 - f.init_p50;
  if (init_odd_.count() > 0) f.aa = double(init_even_.percentile(50)) - double(init_odd_.percentile(50));
  return f;
}

// ---- The timed benchmark

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
