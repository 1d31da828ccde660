#include "host/harness/counting.h"

#include <sys/syscall.h>
#include <unistd.h>

namespace fpubench {
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

}  // namespace fpubench
