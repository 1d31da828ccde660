#include "host/app/options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace fpubench {

// Flags that take a value accept both "--flag=value" and "--flag value".
constexpr const char* kValueFlags[] = {"--inject-ns",       "--pin",     "--histograms-out", "--counters",
                                       "--selfcheck",       "--seconds", "--only",           "--torture-out",
                                       "--torture-corrupt", "--profile", "--record-profile"};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    o.given.push_back(a.substr(0, a.find('=')));
    for (const char* flag : kValueFlags) {
      if (a != flag && a != std::string(flag) + "=") continue;
      if (a == flag && i + 1 < argc && argv[i + 1][0] != '-') {
        a = a + "=" + argv[++i];
        break;
      }
      throw std::invalid_argument(std::string(flag) + " needs a value: " + flag + "=VALUE or " + flag +
                                  " VALUE (see --help)");
    }
    if (a == "--quick") {
      o.quick = true;
    } else if (a == "--dump-cpuid") {
      o.dump_cpuid = true;
    } else if (a == "--show-xstate") {
      o.show_xstate = "";
    } else if (a.rfind("--show-xstate=", 0) == 0) {
      o.show_xstate = a.substr(std::strlen("--show-xstate="));
    } else if (a.rfind("--inject-ns=", 0) == 0) {
      std::string v = a.substr(std::strlen("--inject-ns="));
      char* end = nullptr;
      o.inject_ns = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(o.inject_ns >= 0) || o.inject_ns > 1e9)
        throw std::invalid_argument(
            "--inject-ns takes a delay in nanoseconds from 0 to 1e9, like --inject-ns=100; got '" + v + "'");
    } else if (a.rfind("--counters=", 0) == 0) {
      o.counters = a.substr(std::strlen("--counters="));
      if (o.counters.empty())
        throw std::invalid_argument(
            "--counters needs a list, like --counters=fpu or --counters=cycles,perf::CONTEXT-SWITCHES");
    } else if (a.rfind("--selfcheck=", 0) == 0) {
      o.selfcheck = a.substr(std::strlen("--selfcheck="));
    } else if (a == "--show-context") {
      o.show_context = true;
    } else if (a == "--show-placements") {
      o.show_placements = true;
    } else if (a == "--progress") {
      o.progress = true;
    } else if (a == "--show-plan") {
      o.show_plan = true;
    } else if (a.rfind("--show-plan=", 0) == 0) {
      std::string format = a.substr(std::strlen("--show-plan="));
      if (format != "json" && format != "text")
        throw std::invalid_argument("--show-plan takes no value (text) or =json, got '" + format + "'");
      o.show_plan = true;
      o.show_plan_json = format == "json";
    } else if (a.rfind("--record-profile=", 0) == 0) {
      o.record_profile = a.substr(std::strlen("--record-profile="));
      if (o.record_profile.empty())
        throw std::invalid_argument("--record-profile needs a new folder to write the profile into");
    } else if (a.rfind("--profile=", 0) == 0) {
      o.profile = a.substr(std::strlen("--profile="));
      if (o.profile.empty())
        throw std::invalid_argument(
            "--profile needs a machine-profile folder (cpuid.txt, topology.xml, facts.txt)");
    } else if (a == "--torture") {
      o.torture = true;
    } else if (a.rfind("--seconds=", 0) == 0) {
      std::string v = a.substr(std::strlen("--seconds="));
      char* end = nullptr;
      o.torture_seconds = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(o.torture_seconds > 0) || o.torture_seconds > 86400)
        throw std::invalid_argument(
            "--seconds takes a duration in seconds from 0 to 86400, like --seconds=60; got '" + v + "'");
    } else if (a.rfind("--only=", 0) == 0) {
      o.torture_only = a.substr(std::strlen("--only="));
      o.torture_only_given = true;
    } else if (a.rfind("--torture-out=", 0) == 0) {
      o.torture_out = a.substr(std::strlen("--torture-out="));
    } else if (a.rfind("--torture-corrupt=", 0) == 0) {
      o.torture_corrupt = a.substr(std::strlen("--torture-corrupt="));
    } else if (a == "--no-wait") {
      o.no_wait = true;
    } else if (a == "--no-pm-qos") {
      o.no_pm_qos = true;
    } else if (a == "--list-counters") {
      o.list_counters = true;
    } else if (a.rfind("--pin=", 0) == 0) {
      o.pin = a.substr(std::strlen("--pin="));
    } else if (a.rfind("--histograms-out=", 0) == 0) {
      o.histograms_out = a.substr(std::strlen("--histograms-out="));
      if (o.histograms_out.empty()) throw std::invalid_argument("--histograms-out needs a file name");
    } else {
      throw std::invalid_argument("unknown argument '" + a +
                                  "': see --help for fpubench's flags and the --benchmark_* flags");
    }
  }
  return o;
}

namespace {

std::optional<std::string> last_value(const std::vector<std::string>& args, const std::string& flag) {
  std::optional<std::string> value;
  for (const std::string& a : args)
    if (a.rfind(flag + "=", 0) == 0) value = a.substr(flag.size() + 1);
  return value;
}

}  // namespace

void check_benchmark_flags(const std::vector<std::string>& args) {
  if (auto v = last_value(args, "--benchmark_repetitions")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 1 || n > 10000)
      throw std::invalid_argument("--benchmark_repetitions takes a whole number from 1 to 10000, got '" + *v +
                                  "'");
  }
  if (auto v = last_value(args, "--benchmark_min_time")) {
    char* end = nullptr;
    double s = std::strtod(v->c_str(), &end);
    if (v->empty() || !(*end == '\0' || (end[0] == 's' && end[1] == '\0')) || !(s > 0))
      throw std::invalid_argument(
          "--benchmark_min_time takes a positive number of seconds, like 0.05, got '" + *v + "'");
  }
}

size_t benchmark_repetitions(const std::vector<std::string>& args) {
  auto v = last_value(args, "--benchmark_repetitions");
  return v ? size_t(std::strtoul(v->c_str(), nullptr, 10)) : 1;
}

std::string last_flag_value(const std::vector<std::string>& args, const std::string& flag) {
  return last_value(args, flag).value_or("");
}

std::string benchmark_filter(const std::vector<std::string>& args) {
  return last_value(args, "--benchmark_filter").value_or("");
}

void accept_seconds_suffix(std::vector<std::string>* args) {
  // Newer Google Benchmark writes --benchmark_min_time=0.05s; the 1.7 that Debian ships wants a
  // plain number. Both forms mean seconds, so the suffix is dropped here.
  for (std::string& a : *args)
    if (a.rfind("--benchmark_min_time=", 0) == 0 && a.size() > 21 && a.back() == 's') a.pop_back();
}

void check_mode(const Options& o) {
  if (o.torture) {
    for (const std::string& flag : o.given)
      if (flag == "--inject-ns" || flag == "--pin" || flag == "--histograms-out" || flag == "--counters" ||
          flag == "--selfcheck" || flag == "--benchmark_filter")
        throw std::invalid_argument(flag +
                                    " does not apply to --torture (the integrity torture runs scenarios, "
                                    "not benchmarks): pick scenarios with --only, or drop --torture");
    if (o.torture_only_given && o.torture_only.find_first_not_of(", ") == std::string::npos)
      throw std::invalid_argument(
          "--only names no scenario: give names or prefixes like --only=host,kvm/exits, or leave it out to "
          "run them "
          "all");
    return;
  }
  for (const std::string& flag : o.given)
    if (flag == "--seconds" || flag == "--only" || flag == "--torture-out" || flag == "--torture-corrupt")
      throw std::invalid_argument(
          flag +
          " only applies with --torture; a benchmark run's length is "
          "--benchmark_min_time and --benchmark_repetitions, its choice --benchmark_filter");
}

std::vector<std::string> with_run_length_defaults(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) quick |= std::string(argv[i]) == "--quick";
  std::vector<std::string> args{argv[0]};
  // Repetitions run in random order across benchmarks, so variants that are compared with each
  // other are measured interleaved and slow drift of the machine cancels out. 11 repetitions of
  // 0.02 s: Kalibera & Jones' optimal replication on ten runs of the default suite (README,
  // "How many repetitions and runs"); shorter repetitions were no noisier, so more of them fit.
  args.push_back("--benchmark_enable_random_interleaving=true");
  if (quick)
    args.insert(args.end(), {"--benchmark_min_time=0.01", "--benchmark_repetitions=1"});
  else
    args.insert(args.end(), {"--benchmark_min_time=0.02", "--benchmark_repetitions=11"});
  args.insert(args.end(), argv + 1, argv + argc);
  return args;
}

void print_options_help() {
  std::printf(
      "fpubench: what the kernel spends on x86 FPU/xstate switching.\n"
      "\n"
      "fpubench flags:\n"
      "  --quick               shorter runs, one repetition (default: 0.02 s minimum, 11\n"
      "                        repetitions, randomly interleaved); explicit --benchmark_*\n"
      "                        flags still win\n"
      "  --dump-cpuid          print this CPU's CPUID leaves and XGETBV in the format the\n"
      "                        tests' recorded dumps use, then exit\n"
      "  --show-xstate[=DUMP]  print the xstate layout of this CPU, or of a recorded dump\n"
      "  --inject-ns=N         busy-wait N ns in every ping-pong round trip (proves that a\n"
      "                        comparison can see an effect of that size)\n"
      "  --pin=A,B             run ping-pongs on these two hwloc locations (e.g. pu:0,pu:1)\n"
      "                        instead of the named placements\n"
      "  --histograms-out=FILE write every round-trip latency histogram as JSON\n"
      "  --counters=LIST       count events per operation on every thread of a benchmark:\n"
      "                        libpfm4 names (cycles, perf::CONTEXT-SWITCHES, ...),\n"
      "                        tracepoints (x86_fpu:x86_fpu_regs_activated, kvm:kvm_fpu) and\n"
      "                        the sets fpu and core\n"
      "  --selfcheck=NAME      register round-trip benchmark NAME three times, as\n"
      "                        selfcheck/a/NAME, selfcheck/a-again/NAME and\n"
      "                        selfcheck/inject/NAME (only the last with --inject-ns)\n"
      "  --show-context        the environment record of this machine as JSON, then exit\n"
      "  --show-placements     the named placements here, as hwloc locations, then exit\n"
      "  --progress            a line on stderr as each benchmark repetition starts\n"
      "  --show-plan[=json]    every benchmark a run registers here and every skip with its\n"
      "                        reason, then exit; =json: with each row's fields, as the\n"
      "                        result file's rows carry them\n"
      "  --profile=DIR         with --show-plan or --show-placements: a recorded machine\n"
      "                        (DIR/cpuid.txt, topology.xml, facts.txt) instead of this one\n"
      "  --record-profile=DIR  write this machine's profile (CPUID, hwloc topology, facts)\n"
      "                        into a new folder DIR, then exit\n"
      "  --torture             the FPU state integrity torture instead of benchmarks:\n"
      "    --seconds=N         its total duration (default 60)\n"
      "    --only=WHAT         scenarios by name or prefix (host, kvm/exits, ...)\n"
      "    --torture-out=FILE  its summary as JSON\n"
      "  --no-wait             refuse to start while another measurement runs on this\n"
      "                        machine (default: wait for it; one measurement at a time)\n"
      "  --no-pm-qos           do not hold /dev/cpu_dma_latency at 0 while measuring\n"
      "                        (default: held, so idle PUs poll instead of halting)\n"
      "  --list-counters       the PMUs libpfm4 detects and which of the --counters events\n"
      "                        (default: fpu,core) can be counted here, then exit\n"
      "\n"
      "Google Benchmark flags:\n");
}

}  // namespace fpubench
