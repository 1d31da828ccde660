// fpubench's command line: one command per job, flags parsed by CLI11 (Google Benchmark parses and
// removes its --benchmark_* flags first). The binary measures; what only looks at the machine is a
// command of its own:
//   fpubench [run flags]                 the benchmarks (the default command)
//   fpubench plan [run flags] [--json]   what a run would register and skip, here or on --profile
//   fpubench torture [torture flags]     the FPU state integrity torture
//   fpubench probe cpuid|xstate|placements|context|counters|record-profile
// A bad command line is one line on stderr and exit status 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fpubench {

enum class Command {
  kMeasure,
  kPlan,
  kTorture,
  kCpuid,
  kXstate,
  kPlacements,
  kContext,
  kCounters,
  kRecordProfile
};

struct Options {
  Command command = Command::kMeasure;
  // What a run measures (the default command, and plan, which shows what it would run).
  bool quick = false;           // --quick: fewer iterations and repetitions
  double inject_ns = 0;         // --inject-ns=N: busy-wait added to every ping-pong round trip
  double inject_cost_ns = 0;    // --inject-cost-ns=N: busy-wait added to paired rows' held side only
  unsigned paired_block = 32;   // --paired-block=N: kept round trips per block of a paired row
  unsigned paired_discard = 2;  // --paired-discard=N: round trips not kept at the start of a block
  std::string pin;              // --pin=A,B: hwloc locations replacing the named placements
  std::string histograms_out;   // --histograms-out=FILE: full latency histograms as JSON
  std::string lab_out;          // --lab-out=FILE: every figure as LAVA result lines (host/app/result_file.h)
  std::string counters;         // --counters=LIST: events and sets (fpu, core) to count
  std::string selfcheck;        // --selfcheck=NAME: NAME three ways (see apply_delays, plan/suite_plan.h)
  bool progress = false;        // --progress: a line on stderr as each repetition starts
  // How a measurement holds the machine (the default command and torture).
  bool no_wait = false;    // --no-wait: refuse when another measurement is running
  bool no_pm_qos = false;  // --no-pm-qos: leave /dev/cpu_dma_latency alone
  // plan and probe placements.
  bool plan_json = false;  // plan --json: every row with its fields
  std::string profile;     // --profile=DIR: a recorded machine instead of this one
  // torture.
  double torture_seconds = 60;  // --seconds=N
  std::string torture_only;     // --only=WHAT
  bool torture_only_given = false;
  std::string torture_out;      // --out=FILE
  std::string torture_corrupt;  // --corrupt=SCENARIO (a test hook)
  // probe xstate [DUMP], probe record-profile DIR.
  std::string xstate_dump;
  std::string record_profile;
};

// Google Benchmark flags that set fpubench's run length (per --quick), placed before the user's
// own arguments so that an explicit --benchmark_min_time or --benchmark_repetitions wins.
std::vector<std::string> with_run_length_defaults(int argc, char** argv);

// The command line left after Google Benchmark took its flags. Throws std::invalid_argument with
// the one-line message for the user. `benchmark_flags_given` (--benchmark_* flags other than
// --benchmark_context) refuses them where nothing uses them.
Options parse_options(int argc, char** argv, bool benchmark_flags_given = false);
// fpubench's commands and flags, for --help.
std::string options_help();
// The help of the command `args` names ("plan --help", "probe xstate -h"), or "" when they name
// none or ask no help: the top-level --help is Google Benchmark's, with options_help() first.
std::string command_help(const std::vector<std::string>& args);

// --benchmark_min_time=0.05s as Google Benchmark 1.8 writes it, accepted by dropping the suffix.
void accept_seconds_suffix(std::vector<std::string>* args);

// The Google Benchmark flags whose bad values it would not catch (repetitions of 0 or less, a
// run length that is not a positive number): checked before anything runs. Throws
// std::invalid_argument. The last occurrence of a flag is the one that counts, as for the library.
void check_benchmark_flags(const std::vector<std::string>& args);
// The value of the last --benchmark_repetitions (1 when absent).
size_t benchmark_repetitions(const std::vector<std::string>& args);
// The value of the last --FLAG=VALUE in args, "" when there is none.
std::string last_flag_value(const std::vector<std::string>& args, const std::string& flag);
// The value of the last --benchmark_filter, "" when there is none.
std::string benchmark_filter(const std::vector<std::string>& args);

}  // namespace fpubench
