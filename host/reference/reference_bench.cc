#include "host/reference/reference_bench.h"

#include <memory>

#include "host/harness/timed_benchmark.h"

namespace fpubench {
namespace {

// About a microsecond of dependent integer work: long enough to time, short enough to repeat.
constexpr unsigned kRounds = 1024;

class ReferenceLoop : public TimedBody {
 public:
  explicit ReferenceLoop(const TscInfo& tsc) : tsc_(tsc) {}
  bool step(Step& step) override {
    uint64_t t0 = tsc_begin();
    x_ = reference_work(x_, kRounds);
    step.ticks = tsc_end() - t0;
    benchmark::DoNotOptimize(x_);
    return true;
  }
  void report(benchmark::State& st, const Totals& t) const override {
    if (t.samples.count()) st.counters["ns_per_op"] = tsc_.ticks_to_ns(double(t.samples.percentile(50)));
  }

 private:
  const TscInfo& tsc_;
  uint64_t x_ = 0x9e3779b97f4a7c15ull;
};

}  // namespace

uint64_t reference_work(uint64_t x, unsigned rounds) {
  for (unsigned i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

void plan_reference_suite(const TscInfo& tsc, SuitePlan& plan) {
  Row row{.suite = "reference",
          .family = "reference/user-loop",
          .mechanism = "user-loop",
          .figure = "ns_per_op",
          .unit = "ns",
          .role = "control",
          .better = "lower"};
  plan.add(row, [&tsc](benchmark::State& st, const PlannedBenchmark& b) {
    run_timed(st, {&tsc, nullptr}, "reference", b.name, Figure::kOwn,
              [&] { return std::make_unique<ReferenceLoop>(tsc); });
  });
}

}  // namespace fpubench
