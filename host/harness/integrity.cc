#include "host/harness/integrity.h"

#include <atomic>
#include <cstdio>

namespace fpubench {
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

}  // namespace fpubench
