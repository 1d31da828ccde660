#include "host/plan/selfcheck.h"

#include <stdexcept>

namespace fpubench {
namespace {
std::string g_benchmark;
double g_inject_ns = 0;
double g_cost_inject_ns = 0;
bool g_found = false;
}  // namespace

void set_selfcheck(const std::string& benchmark, double inject_ns, double cost_inject_ns) {
  g_benchmark = benchmark;
  g_inject_ns = inject_ns;
  g_cost_inject_ns = cost_inject_ns;
}

int64_t inject_ticks(const TscInfo& tsc, double inject_ns) {
  return inject_ns < 0 ? -1 : int64_t(tsc.ns_to_ticks(inject_ns));
}

bool selfcheck_active() { return !g_benchmark.empty(); }

std::vector<Variant> variants_of(const std::string& name, double inject_ns, double cost_inject_ns,
                                 bool paired) {
  if (g_benchmark.empty())
    return {{name, inject_ns > 0 ? inject_ns : -1, "", paired && cost_inject_ns > 0 ? cost_inject_ns : -1}};
  if (name != g_benchmark) return {};  // a self-check runs nothing else
  g_found = true;
  if (!paired && g_cost_inject_ns > 0)
    throw std::invalid_argument("--inject-cost-ns delays the held side of a row with an FPU state, and " +
                                name +
                                " holds none: self-check a row like pingpong/futex/same-pu/avx512, or use "
                                "--inject-ns");
  // All three run the wait code, the first two with a zero wait: they differ by the wait alone.
  return {{"selfcheck/a/" + name, 0, "a", 0},
          {"selfcheck/a-again/" + name, 0, "a-again", 0},
          {"selfcheck/inject/" + name, g_inject_ns, "inject", g_cost_inject_ns}};
}

Row row_of_variant(Row row, const Variant& v) {
  if (!v.selfcheck.empty()) {
    row.selfcheck = v.selfcheck;
    row.baseline = "";
  }
  return row;
}

void check_selfcheck_found() {
  if (!g_benchmark.empty() && !g_found)
    throw std::invalid_argument("--selfcheck=" + g_benchmark +
                                " names no round-trip benchmark this machine runs (a pingpong/* or "
                                "kvm/*-exit/* name without /manual_time; see --benchmark_list_tests)");
}

}  // namespace fpubench
