#include "host/app/options.h"

#include <gtest/gtest.h>

#include <vector>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

Options parse(std::vector<const char*> args, bool benchmark_flags_given = false) {
  args.insert(args.begin(), "fpubench");
  return parse_options(int(args.size()), const_cast<char**>(args.data()), benchmark_flags_given);
}

TEST(Options, ParsesFpubenchFlagsAndCommands) {
  EXPECT_TRUE(parse({"--quick"}).quick);
  EXPECT_EQ(parse({}).command, Command::kMeasure);
  EXPECT_EQ(parse({"probe", "cpuid"}).command, Command::kCpuid);
  EXPECT_EQ(parse({"probe", "xstate"}).command, Command::kXstate);
  std::string dump = testing::testdata("cpuid/zen4-genoa.txt");
  EXPECT_EQ(parse({"probe", "xstate", dump.c_str()}).xstate_dump, dump);
  EXPECT_EQ(parse({"probe", "record-profile", "/tmp/x"}).record_profile, "/tmp/x");
  Options plan = parse({"plan", "--json", "--inject-ns=50"});
  EXPECT_EQ(plan.command, Command::kPlan);
  EXPECT_TRUE(plan.plan_json);
  EXPECT_EQ(plan.inject_ns, 50.0);  // the run's flags shape the plan
  Options torture = parse({"torture", "--seconds", "5", "--only=host", "--no-wait"});
  EXPECT_EQ(torture.command, Command::kTorture);
  EXPECT_EQ(torture.torture_seconds, 5.0);
  EXPECT_EQ(torture.torture_only, "host");
  EXPECT_TRUE(torture.no_wait);
}

TEST(Options, ValueFlagsTakeTheirValueEitherWay) {
  EXPECT_EQ(parse({"--pin", "pu:0,pu:1"}).pin, "pu:0,pu:1");
  EXPECT_EQ(parse({"--pin=core:0,core:1"}).pin, "core:0,core:1");
  EXPECT_EQ(parse({"--inject-ns", "100"}).inject_ns, 100.0);
  EXPECT_EQ(parse({"--counters", "fpu", "--quick"}).counters, "fpu");
  EXPECT_THROW(parse({"--inject-ns=-5"}), std::invalid_argument);
  EXPECT_THROW(parse({"torture", "--seconds=0"}), std::invalid_argument);
}

TEST(Options, UnknownFlagIsOneClearError) {
  try {
    parse({"--qiuck"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("--qiuck"), std::string::npos);
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
}

TEST(Options, RunLengthDefaultsComeBeforeUserFlags) {
  const char* argv[] = {"fpubench", "--quick", "--benchmark_repetitions=7"};
  auto args = with_run_length_defaults(3, const_cast<char**>(argv));
  ASSERT_EQ(args.size(), 6u);
  EXPECT_EQ(args[1], "--benchmark_enable_random_interleaving=true");
  EXPECT_EQ(args[2], "--benchmark_min_time=0.01");
  EXPECT_EQ(args.back(), "--benchmark_repetitions=7");  // parsed last, so it wins
}

std::string error_of(std::vector<const char*> args, bool benchmark_flags_given = false) {
  try {
    parse(args, benchmark_flags_given);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Options, AValueFlagWithoutItsValueSaysSo) {
  for (const char* flag : {"--pin", "--inject-ns", "--histograms-out", "--counters"}) {
    EXPECT_NE(error_of({flag}).find(std::string(flag) + " needs a value"), std::string::npos) << flag;
    EXPECT_NE(error_of({flag, "--quick"}).find("needs a value"), std::string::npos) << flag;
  }
  EXPECT_NE(error_of({"plan", "--profile"}).find("--profile needs a value"), std::string::npos);
  EXPECT_NE(error_of({"--pin="}).find("--pin needs a value"), std::string::npos);
}

TEST(Options, BenchmarkRunLengthsAreCheckedBeforeAnythingRuns) {
  EXPECT_NO_THROW(check_benchmark_flags({"x", "--benchmark_repetitions=5", "--benchmark_min_time=0.05"}));
  EXPECT_NO_THROW(check_benchmark_flags({"x", "--benchmark_repetitions=0", "--benchmark_repetitions=2"}));
  for (const char* bad :
       {"--benchmark_repetitions=0", "--benchmark_repetitions=-3", "--benchmark_repetitions=x",
        "--benchmark_min_time=0", "--benchmark_min_time=abc", "--benchmark_min_time=-1"})
    EXPECT_THROW(check_benchmark_flags({"x", bad}), std::invalid_argument) << bad;
  EXPECT_EQ(benchmark_filter({"x", "--benchmark_filter=a", "--benchmark_filter=b"}), "b");
  EXPECT_EQ(benchmark_filter({"x"}), "");
}

TEST(Options, FlagsThatDoNothingInTheModeGivenAreRefusedNotIgnored) {
  auto message = [](std::vector<const char*> args, bool benchmark_flags_given = false) {
    return error_of(args, benchmark_flags_given);
  };
  EXPECT_EQ(message({"--seconds=5"}).rfind("--seconds is a flag of 'fpubench torture'", 0), 0u);
  EXPECT_EQ(message({"--only=host"}).rfind("--only is a flag of 'fpubench torture'", 0), 0u);
  EXPECT_EQ(message({"torture", "--inject-ns=100"}).rfind("--inject-ns does not apply to torture", 0), 0u);
  EXPECT_EQ(message({"--inject-ns=100", "torture"}).rfind("--inject-ns does not apply to torture", 0), 0u);
  EXPECT_NE(message({"torture"}, true).find("--benchmark_* flags do not apply to torture"),
            std::string::npos);
  EXPECT_NE(message({"torture", "--only="}).find("--only needs a value"), std::string::npos);
  EXPECT_NE(message({"torture", "--only=,"}).find("names no scenario"), std::string::npos);
  EXPECT_NE(message({"--quick", "probe", "cpuid"}).find("--quick does not apply to probe"),
            std::string::npos);
  EXPECT_NE(message({"plan", "--no-wait"}).find("--no-wait does not apply to plan"), std::string::npos);
  EXPECT_EQ(message({"torture", "--only=host", "--seconds=5"}), "");
  EXPECT_EQ(message({"--inject-ns=100", "--no-wait", "--no-pm-qos"}), "");
}

TEST(Options, NumbersAreFiniteAndTheirRangeIsSaidAsTheHelpSaysIt) {
  for (const char* bad :
       {"--inject-ns=nan", "--inject-ns=inf", "--inject-cost-ns=nan", "--inject-cost-ns=-1"})
    EXPECT_NE(error_of({bad}).find("takes a number from 0 to 1e+09, got '"), std::string::npos) << bad;
  for (const char* bad : {"--seconds=nan", "--seconds=0", "--seconds=inf", "--seconds=1e6"})
    EXPECT_EQ(error_of({"torture", bad}).rfind("--seconds: takes a number above 0 to 86400, got '", 0), 0u)
        << bad;
  EXPECT_EQ(error_of({"torture", "--seconds=0.5"}), "");
  EXPECT_EQ(error_of({"--inject-ns=0"}), "");
}

TEST(Options, MinTimeTakesTheSecondsSuffixOfNewerGoogleBenchmarkAndRepetitionsAreBounded) {
  std::vector<std::string> args{"x", "--benchmark_min_time=0.01s"};
  accept_seconds_suffix(&args);
  EXPECT_EQ(args[1], "--benchmark_min_time=0.01");
  EXPECT_NO_THROW(check_benchmark_flags(args));
  EXPECT_THROW(check_benchmark_flags({"x", "--benchmark_repetitions=99999999999"}), std::invalid_argument);
  EXPECT_THROW(check_benchmark_flags({"x", "--benchmark_min_time=0.01ms"}), std::invalid_argument);
}

}  // namespace
}  // namespace fpubench
