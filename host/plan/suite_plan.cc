#include "host/plan/suite_plan.h"

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fpubench {

// ---- The row

std::string row_name(const Row& r) {
  std::string name = r.selfcheck.empty() ? "" : "selfcheck/" + r.selfcheck + "/";
  name += r.family;
  if (!r.variant.empty()) name += "/" + r.variant;
  return name;
}

void to_json(nlohmann::ordered_json& j, const Row& r) {
  j = {{"name", row_name(r)},
       {"suite", r.suite},
       {"family", r.family},
       {"variant", r.variant},
       {"mechanism", r.mechanism},
       {"placement", r.placement},
       {"state", r.state},
       {"partner_state", r.partner_state},
       {"condition", r.condition},
       {"baseline", r.baseline},
       {"cost_figure", r.cost_figure},
       {"figure", r.figure},
       {"unit", r.unit},
       {"selfcheck", r.selfcheck},
       {"role", r.role},
       {"better", r.better}};
}

namespace {

std::string component(const std::string& value, const char* what) {
  std::string out;
  for (char c : value) {
    char l = char(std::tolower(static_cast<unsigned char>(c)));
    if (!(std::isalnum(static_cast<unsigned char>(l)) || l == '_' || l == '-'))
      throw std::invalid_argument(std::string("the ") + what + " '" + value +
                                  "' cannot be part of a lab's test name (only a-z, 0-9, '_' and '-')");
    out += l;
  }
  if (out.empty()) throw std::invalid_argument(std::string("a lab's test name needs a ") + what);
  return out;
}

}  // namespace

std::string lab_name(const Row& row, const std::string& figure, bool cost) {
  std::string name = "fpubench.";
  name.append(component(row.suite, "suite")).append(".");
  name.append(component(row.mechanism.empty() ? "none" : row.mechanism, "mechanism"));
  const std::pair<const char*, const std::string*> tagged[] = {{"at", &row.placement},
                                                               {"fpu", &row.state},
                                                               {"peer", &row.partner_state},
                                                               {"condition", &row.condition},
                                                               {"check", &row.selfcheck}};
  for (const auto& [tag, value] : tagged)
    if (!value->empty()) name.append(".").append(tag).append("-").append(component(*value, tag));
  if (cost) name.append(".cost");
  name.append(".").append(component(figure, "figure"));
  if (name.size() > kLabNameMax)
    throw std::invalid_argument("the lab name " + name + " is over " + std::to_string(kLabNameMax) +
                                " characters");
  return name;
}

nlohmann::ordered_json lab_names(const Row& row) {
  return {{"figure", lab_name(row, row.figure)},
          {"cost", row.cost_figure.empty() ? "" : lab_name(row, row.cost_figure, true)}};
}

std::string lab_skip_name(const std::string& pattern) {
  std::string name = "fpubench.skipped", part;
  auto flush = [&] {
    if (!part.empty()) name.append(".").append(part);
    part.clear();
  };
  for (char c : pattern) {
    if (c == '/') {
      flush();
    } else if (c == '*') {
      part += "any";
    } else {
      char l = char(std::tolower(static_cast<unsigned char>(c)));
      part += std::isalnum(static_cast<unsigned char>(l)) || l == '-' || l == '_' ? l : '_';
    }
  }
  flush();
  return name.substr(0, kLabNameMax);
}

// ---- The plan

void Progress::started(const std::string& benchmark, int64_t iterations) {
  bool probe = benchmark == last_ && iterations > last_iterations_;
  last_ = benchmark;
  last_iterations_ = iterations;
  if (probe) return;
  ++count_;
  if (!enabled_) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double left =
      count_ > 1 ? elapsed / double(count_ - 1) * double(total_ > count_ ? total_ - count_ + 1 : 0) : 0;
  std::fprintf(stderr, "fpubench: [%zu/%zu] %s (about %.0f s left)\n", count_, total_, benchmark.c_str(),
               left);
}

void register_plan(const SuitePlan& plan, Progress* progress) {
  for (const PlannedBenchmark& b : plan.benchmarks) {
    auto run = [&b, progress](benchmark::State& st) {
      if (progress) progress->started(b.name, int64_t(st.max_iterations));
      b.run(st, b);
    };
    benchmark::RegisterBenchmark(b.name.c_str(), run)->UseManualTime()->Unit(b.unit);
  }
}

std::string describe_plan(const SuitePlan& plan) {
  std::string out;
  for (const auto& [key, value] : plan.context) out += "context " + key + " " + value + "\n";
  for (const PlannedBenchmark& b : plan.benchmarks) out += "run " + b.name + "\n";
  for (const Skipped& s : plan.skipped) out += "skip " + s.what + ": " + s.why + "\n";
  return out;
}

std::string describe_plan_json(const SuitePlan& plan) {
  nlohmann::ordered_json out = {{"context", nlohmann::ordered_json::object()},
                                {"rows", nlohmann::ordered_json::array()},
                                {"skipped", nlohmann::ordered_json::array()}};
  for (const auto& [key, value] : plan.context) out["context"][key] = value;
  for (const PlannedBenchmark& b : plan.benchmarks)
    out["rows"].push_back({{"name", b.name}, {"row", b.row}, {"lab", lab_names(b.row)}});
  for (const Skipped& s : plan.skipped) out["skipped"].push_back({{"what", s.what}, {"why", s.why}});
  return out.dump(1) + "\n";
}

namespace {

bool paired(const PlannedBenchmark& b) { return !b.row.cost_figure.empty(); }

PlannedBenchmark selfcheck_variant(const PlannedBenchmark& b, const char* variant, Delays delays) {
  PlannedBenchmark v = b;
  v.row.selfcheck = variant;
  v.row.baseline = "";  // the three are compared with each other, not costed
  v.name = row_name(v.row);
  v.delays = delays;
  return v;
}

}  // namespace

void apply_delays(SuitePlan& plan, const DelayOptions& o) {
  if (o.inject_ns > 0) plan.context.emplace_back("inject_ns", std::to_string(o.inject_ns));
  if (o.inject_cost_ns > 0) plan.context.emplace_back("inject_cost_ns", std::to_string(o.inject_cost_ns));
  if (o.selfcheck.empty()) {
    for (PlannedBenchmark& b : plan.benchmarks) {
      if (b.takes == Delayable::kNone) continue;
      double round_trip = b.takes == Delayable::kRoundTrip && o.inject_ns > 0 ? o.inject_ns : -1;
      b.delays = {round_trip, paired(b) && o.inject_cost_ns > 0 ? o.inject_cost_ns : -1};
    }
    return;
  }
  const PlannedBenchmark* found = nullptr;
  for (const PlannedBenchmark& b : plan.benchmarks)
    if (b.takes == Delayable::kRoundTrip && b.name == o.selfcheck) found = &b;
  if (!found)
    throw std::invalid_argument("--selfcheck=" + o.selfcheck +
                                " names no round-trip benchmark this machine runs (a pingpong/* or "
                                "kvm/*-exit/* name without /manual_time; see --benchmark_list_tests)");
  if (!paired(*found) && o.inject_cost_ns > 0)
    throw std::invalid_argument("--inject-cost-ns delays the held side of a row with an FPU state, and " +
                                o.selfcheck +
                                " holds none: self-check a row like pingpong/futex/same-pu/avx512, or use "
                                "--inject-ns");
  // All three run the wait code, the first two with a zero wait: they differ by the wait alone.
  std::vector<PlannedBenchmark> three = {
      selfcheck_variant(*found, "a", {0, 0}), selfcheck_variant(*found, "a-again", {0, 0}),
      selfcheck_variant(*found, "inject", {o.inject_ns, o.inject_cost_ns})};
  plan.benchmarks = std::move(three);  // a self-check runs nothing else
  plan.context.emplace_back("selfcheck", o.selfcheck);
}

}  // namespace fpubench
