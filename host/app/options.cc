#include "host/app/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace fpubench {

namespace {

// Refuses "--flag=" (an empty value), and the next flag taken as a flag's value ("--pin --quick"):
// CLI11 takes whatever follows a flag that needs one.
const CLI::Validator kGivenValue(
    [](std::string& value) {
      return value.empty() || value.rfind("--", 0) == 0 ? std::string("needs a value") : std::string();
    },
    "", "");

std::string plain(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// A number from `lo` (or above it, with `above`) to `hi`, said as the help says it. CLI11's own
// range checks pass NaN (every comparison with it is false) and print their bounds in full (the
// largest double in 300 digits).
CLI::Validator number_in(double lo, double hi, bool above = false) {
  return CLI::Validator(
      [=](std::string& value) {
        char* end = nullptr;
        double v = std::strtod(value.c_str(), &end);
        bool ok =
            end != value.c_str() && *end == '\0' && std::isfinite(v) && (above ? v > lo : v >= lo) && v <= hi;
        return ok ? std::string()
                  : "takes a number " + std::string(above ? "above " : "from ") + plain(lo) + " to " +
                        plain(hi) + ", got '" + value + "'";
      },
      "", "");
}

struct CommandLine {
  CLI::App app{"fpubench: what the kernel spends on x86 FPU/xstate switching.", "fpubench"};
  CLI::App* plan = nullptr;
  CLI::App* torture = nullptr;
  CLI::App* probe = nullptr;
  std::vector<CLI::Option*> run_flags, hold_flags;
};

// Every flag and command, bound to `o`. Flags of the default command are the top level's; plan
// and torture let them through so that what applies there (checked after parsing) can follow
// the command name.
void define(CommandLine& c, Options& o) {
  CLI::App& app = c.app;
  app.set_help_flag();  // Google Benchmark answers --help, with options_help() first
  app.require_subcommand(0, 1);
  c.run_flags = {
      app.add_flag("--quick", o.quick,
                   "shorter runs, one repetition (default: 0.02 s minimum, 11 repetitions, randomly "
                   "interleaved); explicit --benchmark_* flags still win"),
      app.add_option("--inject-ns", o.inject_ns,
                     "busy-wait N ns in every ping-pong round trip (proves that a comparison can see an "
                     "effect of that size)")
          ->type_name("NS")
          ->check(kGivenValue)
          ->check(number_in(0, 1e9)),
      app.add_option("--inject-cost-ns", o.inject_cost_ns,
                     "busy-wait N ns in every round trip of a paired row's held side only: its xstate "
                     "cost grows by N, its baseline does not (proves that a comparison can see a cost "
                     "change of that size)")
          ->type_name("NS")
          ->check(kGivenValue)
          ->check(number_in(0, 1e9)),
      app.add_option("--paired-block", o.paired_block,
                     "round trips kept per block of a paired row (default 32; README, \"Time-paired "
                     "blocks\")")
          ->type_name("N")
          ->check(kGivenValue)
          ->check(CLI::Range(1, 100000)),
      app.add_option("--paired-discard", o.paired_discard,
                     "round trips not kept at the start of every block of a paired row (default 2)")
          ->type_name("N")
          ->check(kGivenValue)
          ->check(CLI::Range(0, 100000)),
      app.add_option("--pin", o.pin,
                     "run ping-pongs on these two hwloc locations (e.g. pu:0,pu:1) instead of the named "
                     "placements")
          ->type_name("A,B")
          ->check(kGivenValue),
      app.add_option("--histograms-out", o.histograms_out, "write every round-trip latency histogram as JSON")
          ->type_name("FILE")
          ->check(kGivenValue),
      app.add_option("--lab-out", o.lab_out,
                     "write every figure, one line per repetition, as a LAVA test definition reports them "
                     "(\"<name> pass <value> <unit>\"; skips with their reasons)")
          ->type_name("FILE")
          ->check(kGivenValue),
      app.add_option("--counters", o.counters,
                     "count events per operation on every thread of a benchmark: libpfm4 names (cycles, "
                     "perf::CONTEXT-SWITCHES, ...), tracepoints (x86_fpu:x86_fpu_regs_activated, "
                     "kvm:kvm_fpu) and the sets fpu and core")
          ->type_name("LIST")
          ->check(kGivenValue),
      app.add_option("--selfcheck", o.selfcheck,
                     "register round-trip benchmark NAME three times, as selfcheck/a/NAME, "
                     "selfcheck/a-again/NAME and selfcheck/inject/NAME (only the last with --inject-ns)")
          ->type_name("NAME")
          ->check(kGivenValue),
      app.add_flag("--progress", o.progress, "a line on stderr as each benchmark repetition starts"),
  };
  c.hold_flags = {
      app.add_flag("--no-wait", o.no_wait,
                   "refuse to start while another measurement runs on this machine (default: wait for "
                   "it; one measurement at a time)"),
      app.add_flag("--no-pm-qos", o.no_pm_qos,
                   "do not hold /dev/cpu_dma_latency at 0 while measuring (default: held, so idle PUs "
                   "poll instead of halting)"),
  };

  c.plan = app.add_subcommand("plan",
                              "every benchmark a run with these flags registers, and every skip "
                              "with its reason; nothing runs");
  c.plan->fallthrough();
  c.plan->add_flag("--json", o.plan_json, "with each row's fields, as the result file's rows carry them");
  c.plan->add_option("--profile", o.profile, "a recorded machine (DIR/cpuid.txt, topology.xml, facts.txt)")
      ->type_name("DIR")
      ->check(kGivenValue);

  c.torture = app.add_subcommand("torture", "the FPU state integrity torture instead of benchmarks");
  c.torture->fallthrough();
  c.torture->add_option("--seconds", o.torture_seconds, "its total duration (default 60)")
      ->type_name("N")
      ->check(kGivenValue)
      ->check(number_in(0, 86400, true));
  c.torture->add_option("--only", o.torture_only, "scenarios by name or prefix (host, kvm/exits, ...)")
      ->type_name("WHAT")
      ->check(kGivenValue);
  c.torture->add_option("--out", o.torture_out, "its summary as JSON")->type_name("FILE")->check(kGivenValue);
  c.torture->add_option("--corrupt", o.torture_corrupt, "a scenario that corrupts on purpose (a test hook)")
      ->type_name("SCENARIO");

  c.probe = app.add_subcommand("probe", "what fpubench sees of this machine; nothing is measured");
  c.probe->require_subcommand(1);
  c.probe->add_subcommand("cpuid", "this CPU's CPUID leaves and XGETBV, in the tests' recorded format")
      ->callback([&o] { o.command = Command::kCpuid; });
  CLI::App* xstate =
      c.probe->add_subcommand("xstate", "[DUMP]: the xstate layout of this CPU, or of a recorded cpuid dump");
  xstate->add_option("dump", o.xstate_dump, "a probe cpuid dump")->check(CLI::ExistingFile);
  xstate->callback([&o] { o.command = Command::kXstate; });
  CLI::App* placements = c.probe->add_subcommand(
      "placements",
      "[--profile=DIR]: the named placements as hwloc locations, here or on a recorded machine");
  placements->add_option("--profile", o.profile, "a recorded machine instead of this one")
      ->check(kGivenValue);
  placements->callback([&o] { o.command = Command::kPlacements; });
  c.probe->add_subcommand("context", "the environment record a result file carries, as JSON")->callback([&o] {
    o.command = Command::kContext;
  });
  CLI::App* counters = c.probe->add_subcommand(
      "counters", "[--counters=LIST]: the PMUs libpfm4 detects and which events can be counted here");
  counters->add_option("--counters", o.counters, "the events and sets to look up (default: fpu,core)")
      ->check(kGivenValue);
  counters->callback([&o] { o.command = Command::kCounters; });
  CLI::App* record = c.probe->add_subcommand(
      "record-profile",
      "DIR: write this machine's profile (CPUID, hwloc topology, facts) into a new folder DIR");
  record->add_option("dir", o.record_profile, "the new folder")->required()->check(kGivenValue);
  record->callback([&o] { o.command = Command::kRecordProfile; });
}

// What the command cannot use is refused, not ignored.
void check_applies(const CommandLine& c, const Options& o, bool benchmark_flags_given) {
  auto refuse = [&](const std::vector<CLI::Option*>& flags, const std::string& where,
                    const std::string& why) {
    for (const CLI::Option* f : flags)
      if (f->count() > 0)
        throw std::invalid_argument(f->get_name() + " does not apply to " + where + ": " + why);
  };
  if (o.command == Command::kTorture) {
    refuse(c.run_flags, "torture",
           "the integrity torture runs scenarios, not benchmarks; pick them with --only");
    if (benchmark_flags_given)
      throw std::invalid_argument("--benchmark_* flags do not apply to torture: its length is --seconds");
    if (o.torture_only_given && o.torture_only.find_first_not_of(", ") == std::string::npos)
      throw std::invalid_argument(
          "--only names no scenario: give names or prefixes like --only=host,kvm/exits, or leave it out to "
          "run "
          "them all");
  } else if (o.command == Command::kPlan) {
    refuse(c.hold_flags, "plan", "nothing runs");
  } else if (o.command != Command::kMeasure) {
    refuse(c.run_flags, "probe", "it measures nothing; run fpubench without probe to measure");
    refuse(c.hold_flags, "probe", "it measures nothing");
  }
}

// CLI11's message, on one line, with what to do where CLI11 does not say it.
std::string explain(const CommandLine& c, const CLI::ParseError& e) {
  std::string what = e.what();
  std::replace(what.begin(), what.end(), '\n', ' ');
  size_t at = std::min(what.find(": 1 required "), what.find(": needs a value"));
  if (at != std::string::npos && what.rfind("--", 0) == 0) {
    std::string flag = what.substr(0, at);
    return flag + " needs a value: " + flag + "=VALUE or " + flag + " VALUE (see fpubench --help)";
  }
  for (const std::string unexpected :
       {"The following argument was not expected: ", "The following arguments were not expected: "}) {
    if (what.rfind(unexpected, 0) != 0) continue;
    for (std::string word : CLI::detail::split(what.substr(unexpected.size()), ' ')) {
      std::string flag = word.substr(0, word.find('='));
      for (const CLI::App* command : {c.plan, c.torture})
        if (command->get_option_no_throw(flag))
          return flag + " is a flag of 'fpubench " + command->get_name() + "': put it after the command";
    }
  }
  if (c.probe->parsed() && what.find("subcommand is required") != std::string::npos) {
    std::string names;
    for (const CLI::App* probe : c.probe->get_subcommands({}))
      names += (names.empty() ? "" : ", ") + probe->get_name();
    return "probe needs one of: " + names + " (see fpubench probe --help)";
  }
  return what + " (see fpubench --help)";
}

const char kExitStatusHelp[] =
    "\nExit status: 0 done; 2 bad input or cannot run here; 3 FPU state integrity failure; 4 the machine\n"
    "or an outside dependency failed; 130/143 interrupted (README, \"Exit status\").\n";

}  // namespace

Options parse_options(int argc, char** argv, bool benchmark_flags_given) {
  Options o;
  CommandLine c;
  define(c, o);
  try {
    c.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(explain(c, e));
  }
  if (c.plan->parsed()) o.command = Command::kPlan;
  if (c.torture->parsed()) o.command = Command::kTorture;
  o.torture_only_given = c.torture->count("--only") > 0;
  if (!o.profile.empty() && o.command != Command::kPlan && o.command != Command::kPlacements)
    throw std::invalid_argument("--profile only goes with plan or probe placements");
  check_applies(c, o, benchmark_flags_given);
  return o;
}

std::string options_help() {
  Options o;
  CommandLine c;
  define(c, o);
  return c.app.help("", CLI::AppFormatMode::All) + kExitStatusHelp;
}

std::string command_help(const std::vector<std::string>& args) {
  bool asked =
      std::any_of(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; });
  if (!asked) return "";
  Options o;
  CommandLine c;
  define(c, o);
  const CLI::App* command = nullptr;
  std::string path = "fpubench";
  for (const std::string& a : args) {
    if (a.rfind("-", 0) == 0) continue;
    const CLI::App* parent = command ? command : &c.app;
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : parent->get_subcommands({}))
      if (s->get_name() == a) sub = s;
    if (!sub) break;
    command = sub;
    path += " " + a;
  }
  if (!command) return "";
  std::string text = command->help("", CLI::AppFormatMode::All);
  // CLI11 names the command alone in its usage line: name it as it is typed.
  std::string usage = "Usage: " + command->get_name();
  if (size_t at = text.find(usage); at != std::string::npos) text.replace(at, usage.size(), "Usage: " + path);
  return text + kExitStatusHelp;
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
  // Google Benchmark answers an unknown format with its usage and exit status 0.
  if (auto v = last_value(args, "--benchmark_format"); v && *v != "console" && *v != "json" && *v != "csv")
    throw std::invalid_argument("--benchmark_format takes console, json or csv, got '" + *v + "'");
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

}  // namespace fpubench
