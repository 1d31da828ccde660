#include "host/torture/torture_run.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bench/text_file.h"
#include "host/harness/json_text.h"
#include "host/torture/kernel_log.h"
#include "host/torture/torture.h"

namespace fpubench {
namespace {

std::atomic<bool> g_interrupted{false};
constexpr double kMinScenarioSeconds = 0.25;
void on_sigint(int) { g_interrupted = true; }

bool selected(const std::string& name, const std::string& only) {
  if (only.empty()) return true;
  std::stringstream ss(only);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty() && name.rfind(item, 0) == 0) return true;
  return false;
}

void write_json(const std::string& path, const Context& context, const std::vector<ScenarioResult>& results,
                const std::vector<std::string>& log, bool interrupted, TortureVerdict verdict,
                double seconds) {
  nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
  for (const ScenarioResult& r : results)
    scenarios.push_back({{"name", r.name},
                         {"status", scenario_status(r)},
                         {"events", r.events},
                         {"count", r.count},
                         {"skipped", r.skipped},
                         {"corruption", r.corruption},
                         {"error", r.error}});
  nlohmann::ordered_json summary = {{"context", context_object(context)},
                                    {"benchmarks", nlohmann::ordered_json::array()},
                                    {"torture",
                                     {{"seconds", seconds},
                                      {"verdict", verdict.name},
                                      {"passed", verdict.exit_status == 0},
                                      {"interrupted", interrupted},
                                      {"scenarios", scenarios},
                                      {"kernel_log", log}}}};
  write_whole_file(path, json_text(summary) + "\n");  // whole or not at all
}

std::vector<const TortureScenario*> chosen_scenarios(const TortureOptions& o) {
  std::vector<const TortureScenario*> chosen;
  std::string names, corruptible;
  bool corrupt_known = o.corrupt.empty();
  for (const TortureScenario& s : torture_scenarios()) {
    if (selected(s.name, o.only)) chosen.push_back(&s);
    names += std::string(names.empty() ? "" : ", ") + s.name;
    if (s.corruptible) corruptible += std::string(corruptible.empty() ? "" : ", ") + s.name;
    corrupt_known |= s.corruptible && o.corrupt == s.name;
  }
  if (chosen.empty())
    throw std::invalid_argument("--only=" + o.only + " names no torture scenario (" + names +
                                ", or a prefix like host or kvm)");
  if (!corrupt_known)  // a hook that does nothing would read as a pass
    throw std::invalid_argument("--corrupt=" + o.corrupt +
                                " names no scenario that can corrupt on purpose (" + corruptible + ")");
  return chosen;
}

}  // namespace

void check_torture_options(const TortureOptions& o) { chosen_scenarios(o); }

int run_torture(const TortureOptions& o, const Machine& machine, const Context& context) {
  std::vector<const TortureScenario*> chosen = chosen_scenarios(o);
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  if (sigaction(SIGINT, &sa, nullptr) != 0 || sigaction(SIGTERM, &sa, nullptr) != 0)
    throw std::runtime_error(std::string("cannot handle SIGINT/SIGTERM: ") + std::strerror(errno));

  KernelLogWatch log;
  std::vector<ScenarioResult> results;
  // Each scenario gets its share, but never so little that it could end before its first
  // iteration: a scenario that ran nothing must not read as passed.
  double share = std::max(o.seconds / double(chosen.size()), kMinScenarioSeconds);
  if (share > o.seconds / double(chosen.size()))
    std::fprintf(stderr, "fpubench: each torture scenario runs at least %.2f s\n", kMinScenarioSeconds);
  for (const TortureScenario* s : chosen) {
    if (g_interrupted) break;
    TortureSetup setup{machine,
                       std::chrono::steady_clock::now() + std::chrono::microseconds(int64_t(share * 1e6)),
                       &g_interrupted, o.corrupt == s->name};
    std::fprintf(stderr, "fpubench: torture %s for %.1f s\n", s->name, share);
    ScenarioResult r;
    try {
      r = s->run(setup);
    } catch (const std::exception& e) {
      r.error = std::string("the scenario failed: ") + e.what();
    }
    r.name = s->name;  // the table is the one place scenario names are written
    results.push_back(r);
  }
  std::vector<std::string> lines = log.new_fpu_lines();
  if (!log.available()) {
    ScenarioResult r;
    r.name = "kernel-log";
    r.skipped = log.why_unavailable();
    results.push_back(r);
  }
  TortureVerdict verdict = torture_verdict(results, lines, g_interrupted);
  std::fputs(torture_table(results, lines, g_interrupted).c_str(), stdout);
  std::printf("torture %s\n", verdict.name);
  if (!o.out.empty()) write_json(o.out, context, results, lines, g_interrupted, verdict, o.seconds);
  return verdict.exit_status;
}

}  // namespace fpubench
