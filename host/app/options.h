// fpubench's own command-line flags (Google Benchmark parses and removes its --benchmark_* flags
// first). A bad flag is one line on stderr and exit status 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fpubench {

struct Options {
  bool quick = false;                      // --quick: fewer iterations and repetitions
  bool dump_cpuid = false;                 // --dump-cpuid: print this CPU's leaves and exit
  std::optional<std::string> show_xstate;  // --show-xstate[=DUMP]: print the layout and exit
  double inject_ns = 0;                    // --inject-ns=N: busy-wait added to every ping-pong round trip
  std::string pin;                         // --pin=A,B: hwloc locations replacing the named placements
  std::string histograms_out;              // --histograms-out=FILE: full latency histograms as JSON
  std::string counters;                    // --counters=LIST: events and sets (fpu, core) to count
  bool list_counters = false;              // --list-counters: what can be counted here, then exit
  std::string selfcheck;                   // --selfcheck=NAME: NAME three ways (see selfcheck.h)
  bool show_context = false;               // --show-context: the environment record as JSON, then exit
  bool show_placements = false;            // --show-placements: "name first-PU second-PU" lines, then exit
  bool show_plan = false;                  // --show-plan: what would run and what is skipped, then exit
  bool show_plan_json = false;             // --show-plan=json: the same with every row's fields
  bool progress = false;                   // --progress: a line on stderr as each repetition starts
  std::string profile;                     // --profile=DIR: a recorded machine instead of this one (--show-*)
  std::string record_profile;              // --record-profile=DIR: write this machine's profile, then exit
  bool torture = false;                    // --torture: the integrity torture instead of benchmarks
  double torture_seconds = 60;             // --seconds=N
  std::string torture_only;                // --only=WHAT
  std::string torture_out;                 // --torture-out=FILE
  std::string torture_corrupt;             // --torture-corrupt=SCENARIO (a test hook)
  bool no_wait = false;                    // --no-wait: refuse when another measurement is running
  bool no_pm_qos = false;                  // --no-pm-qos: leave /dev/cpu_dma_latency alone
  bool torture_only_given = false;         // --only was given, even empty
  std::vector<std::string> given;          // every flag name given, for check_mode
};

// Google Benchmark flags that set fpubench's run length (per --quick), placed before the user's
// own arguments so that an explicit --benchmark_min_time or --benchmark_repetitions wins.
std::vector<std::string> with_run_length_defaults(int argc, char** argv);

// Throws std::invalid_argument with the one-line message for the user.
Options parse_options(int argc, char** argv);
// Flags that do nothing in the mode given (torture flags without --torture, benchmark flags with
// it) are refused, not ignored. `o.given` must hold the benchmark flags too (the caller adds
// --benchmark_filter when the user gave one). Throws std::invalid_argument.
void check_mode(const Options& o);
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
void print_options_help();

}  // namespace fpubench
