// build/host/fpubench: a Google Benchmark binary. Registers what this machine can run, records the
// environment in the JSON context, and says on stderr what it left out and why.
#include <benchmark/benchmark.h>

#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "bench/counters.h"
#include "bench/cpuid_source.h"
#include "bench/environment.h"
#include "bench/event_names.h"
#include "bench/exit_status.h"
#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/text_file.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/app/machine_plan.h"
#include "host/app/measuring_alone.h"
#include "host/app/options.h"
#include "host/app/probes.h"
#include "host/app/result_file.h"
#include "host/harness/json_text.h"
#include "host/harness/timed_benchmark.h"
#include "host/torture/torture_run.h"

namespace fpubench {
namespace {

void print_help() {
  std::fputs(options_help().c_str(), stdout);
  std::puts("\nGoogle Benchmark flags (the default command):");
  benchmark::PrintDefaultHelp();
}

size_t count_matching(const SuitePlan& plan, const std::string& filter) {
  if (filter.empty() || filter == "all") return plan.benchmarks.size();
  std::regex re;
  try {
    re = std::regex(filter, std::regex::extended);  // as Google Benchmark compiles it
  } catch (const std::regex_error& e) {
    throw std::invalid_argument("--benchmark_filter='" + filter +
                                "' is not a valid extended regular expression (" + e.what() +
                                "): escape ( ) [ ] with a backslash");
  }
  size_t n = 0;
  // The library matches the name it reports, which manual timing suffixes.
  for (const PlannedBenchmark& b : plan.benchmarks) n += std::regex_search(b.name + "/manual_time", re);
  return n;
}

// An output file is checked before the suite runs, not when it is written at the end.
void check_writable(const std::string& path, const std::string& example_name) {
  if (path.empty()) return;
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw std::invalid_argument("cannot write '" + path + "': it is a folder; name a file in it, like " +
                                path + "/" + example_name);
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw std::invalid_argument(
        "cannot write '" + path + "': its folder " +
        (errno == ENOENT ? "does not exist" : "is not writable (" + std::string(std::strerror(errno)) + ")"));
  if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0)
    throw std::invalid_argument("cannot write '" + path + "': " + std::strerror(errno));
}

// probe ...: prints what it sees and returns.
int probe(const Options& opt, const HardwareCpuid& cpu) {
  switch (opt.command) {
    case Command::kCpuid: std::fputs(dump_cpuid(cpu).c_str(), stdout); return 0;
    case Command::kXstate:
      std::fputs(
          describe_layout(opt.xstate_dump.empty() ? enumerate_xstate(cpu)
                                                  : enumerate_xstate(RecordedCpuid::load(opt.xstate_dump)))
              .c_str(),
          stdout);
      return 0;
    case Command::kCounters: std::fputs(describe_counters(opt.counters).c_str(), stdout); return 0;
    default: break;
  }
  XstateLayout layout = enumerate_xstate(cpu);
  MachineFacts facts = live_facts(layout);  // grants dynamic components, as a run would
  const TscInfo& tsc = tsc_info();
  Topology topology = Topology::load();
  if (opt.command == Command::kRecordProfile) {
    record_profile(opt.record_profile, cpu, topology, facts);
    std::printf("fpubench: profile of this machine written to %s\n", opt.record_profile.c_str());
  } else if (opt.command == Command::kPlacements) {
    std::fputs(describe_placements(topology).c_str(), stdout);
  } else {
    Context context = collect_environment({"/", &cpu, &layout, &tsc, &topology});
    std::printf("%s\n", json_text(context_object(context)).c_str());
  }
  return 0;
}

// --benchmark_out and --benchmark_out_format are the binary's: taken out of the arguments so that
// Google Benchmark writes no file of its own. Throws std::invalid_argument for another format.
std::string take_result_file_flags(std::vector<std::string>* args) {
  std::string out = last_flag_value(*args, "--benchmark_out");
  std::string format = last_flag_value(*args, "--benchmark_out_format");
  if (!format.empty() && format != "json")
    throw std::invalid_argument("--benchmark_out_format=" + format +
                                ": fpubench writes its result file as JSON only (what compare, plot and "
                                "report read); leave the flag out or give json");
  std::erase_if(*args, [](const std::string& a) {
    return a.rfind("--benchmark_out=", 0) == 0 || a.rfind("--benchmark_out_format=", 0) == 0;
  });
  return out;
}

// An interrupted run writes no result file: the one it would have written is not there, or is
// the previous one, whole. Said on stderr, with the status of a process the signal killed.
const char* g_result_path = nullptr;
void on_interrupt(int signo) {
  const char* head = "fpubench: interrupted; no result written";
  (void)!write(2, head, std::strlen(head));
  if (g_result_path) {
    const char* to = " to ";
    (void)!write(2, to, std::strlen(to));
    (void)!write(2, g_result_path, std::strlen(g_result_path));
    const char* kept = " (a previous file there is untouched)";
    (void)!write(2, kept, std::strlen(kept));
  }
  (void)!write(2, "\n", 1);
  _exit(128 + signo);
}

void say_when_interrupted(const std::string& result_path) {
  g_result_path = result_path.empty() ? nullptr : strdup(result_path.c_str());
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int run(int original_argc, char** original_argv) {
  if (std::string help = command_help({original_argv + 1, original_argv + original_argc}); !help.empty()) {
    std::fputs(help.c_str(), stdout);  // the command's own help, not the library's top-level one
    return kExitOk;
  }
  std::vector<std::string> arg_strings = with_run_length_defaults(original_argc, original_argv);
  std::string result_path = take_result_file_flags(&arg_strings);
  accept_seconds_suffix(&arg_strings);
  check_benchmark_flags(arg_strings);
  bool benchmark_flags_given = false;  // by the user (the defaults are ours), but for the context
  for (int i = 1; i < original_argc; ++i) {
    std::string a = original_argv[i];
    benchmark_flags_given |= a.rfind("--benchmark_", 0) == 0 && a.rfind("--benchmark_context", 0) != 0;
  }
  std::vector<char*> args;
  for (std::string& a : arg_strings) args.push_back(a.data());
  args.push_back(nullptr);
  int argc = int(arg_strings.size());
  char** argv = args.data();
  benchmark::Initialize(&argc, argv, print_help);
  Options opt = parse_options(argc, argv, benchmark_flags_given);
  if (opt.command == Command::kPlan && !opt.profile.empty()) {
    std::fputs(profile_plan_text(opt.profile, opt).c_str(), stdout);
    return 0;
  }
  if (opt.command == Command::kPlacements && !opt.profile.empty()) {
    std::fputs(describe_placements(*load_profile(opt.profile).topology).c_str(), stdout);
    return 0;
  }
  HardwareCpuid cpu;
  if (opt.command != Command::kMeasure && opt.command != Command::kPlan && opt.command != Command::kTorture)
    return probe(opt, cpu);

  std::string counted_events;  // the counters a run counts, for its context
  if (!opt.counters.empty()) {
    EventResolver resolver;
    CounterPlan plan = plan_counters(opt.counters, resolver);
    if (!plan.dropped.empty()) std::fprintf(stderr, "fpubench: %s\n", dropped_summary(plan.dropped).c_str());
    for (const ResolvedEvent& e : plan.events) counted_events += (counted_events.empty() ? "" : ",") + e.name;
    if (counted_events.empty()) counted_events = "none";
    set_counter_plan(std::move(plan));
  }

  XstateLayout layout = enumerate_xstate(cpu);
  // Dynamic components must be granted before RegisterState decides what it can control.
  MachineFacts facts = live_facts(layout);
  RegisterState regs(layout, cpu);
  const TscInfo& tsc = tsc_info();
  if (std::string warning = tsc_warning(plan_tsc(cpu)); !warning.empty())
    std::fprintf(stderr, "fpubench: warning: %s\n", warning.c_str());
  Topology topology = Topology::load();
  Context environment = collect_environment({"/", &cpu, &layout, &tsc, &topology});
  MeasuringOptions measuring{!opt.no_wait, !opt.no_pm_qos,
                             opt.command == Command::kTorture ? "torture" : "benchmarks"};
  if (opt.command == Command::kTorture) {
    TortureOptions torture{opt.torture_seconds, opt.torture_only, opt.torture_out, opt.torture_corrupt};
    check_torture_options(torture);                   // before waiting for the lock
    check_writable(opt.torture_out, "torture.json");  // before minutes of torture, not after
    MeasuringAlone alone(measuring, &environment);
    return run_torture(torture, {layout, regs, tsc, topology}, environment);
  }

  check_writable(opt.histograms_out, "histograms.json");
  check_writable(opt.lab_out, "result.txt");
  check_writable(result_path, "result.json");
  std::vector<std::pair<std::string, std::string>> context =
      parse_context_flag(last_flag_value(arg_strings, "--benchmark_context"));
  HistogramSink histograms(tsc.hz);
  SuiteSetups setups = make_setups(layout, regs, tsc, topology, facts, opt, &histograms);
  SuitePlan plan = plan_suite(setups, facts);
  if (opt.command == Command::kPlan) {
    std::fputs(plan_text(tsc.read, plan, opt.plan_json).c_str(), stdout);
    return 0;
  }
  size_t matching = count_matching(plan, benchmark_filter(arg_strings));
  if (matching == 0)  // before the lock, output or a run, not after a run of nothing
    throw std::invalid_argument(
        "--benchmark_filter='" + benchmark_filter(arg_strings) + "' matches none of the " +
        std::to_string(plan.benchmarks.size()) +
        " benchmarks planned on this machine (see fpubench plan for them and for what was "
        "skipped)");
  MeasuringAlone alone(measuring, &environment);
  say_when_interrupted(result_path);
  context.insert(context.end(), environment.begin(), environment.end());
  context.insert(context.end(), plan.context.begin(), plan.context.end());
  if (!counted_events.empty()) context.emplace_back("counters", counted_events);
  for (const Skipped& s : plan.skipped) {
    std::fprintf(stderr, "fpubench: skipped %s: %s\n", s.what.c_str(), s.why.c_str());
    context.emplace_back("skipped." + s.what, s.why);
  }
  // The filter is the library's to apply; the total counts what it will run.
  Progress progress(matching * benchmark_repetitions(arg_strings), opt.progress);
  register_plan(plan, &progress);
  std::unique_ptr<benchmark::BenchmarkReporter> display(benchmark::CreateDefaultDisplayReporter());
  HistogramCommittingReporter committing(display.get(), &histograms);
  ResultFileReporter reporter(&committing, plan, std::move(context));
  size_t ran = benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (ran == 0)
    throw std::invalid_argument(
        "--benchmark_filter='" + benchmark_filter(arg_strings) + "' matches none of the " +
        std::to_string(plan.benchmarks.size()) +
        " benchmarks planned on this machine (see fpubench plan for them and for what was skipped)");
  if (!opt.histograms_out.empty()) histograms.write(opt.histograms_out);
  if (!result_path.empty()) write_whole_file(result_path, reporter.document().dump(1) + "\n");
  if (!opt.lab_out.empty()) write_whole_file(opt.lab_out, lava_result_lines(reporter.document()));
  if (corruption_seen()) {
    std::fprintf(stderr, "fpubench: FPU state was corrupted (see above); these timings are not valid\n");
    return kExitIntegrity;
  }
  return 0;
}

}  // namespace
}  // namespace fpubench

int main(int argc, char** argv) {
  try {
    return fpubench::run(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "fpubench: %s\n", e.what());
    return fpubench::kExitBadInput;
  } catch (const std::exception& e) {  // the machine, the kernel or a file failed us
    std::fprintf(stderr, "fpubench: %s\n", e.what());
    return fpubench::kExitMachine;
  }
}
