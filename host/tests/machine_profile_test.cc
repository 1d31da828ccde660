// The profile corpus as a plan check: for every recorded or synthetic machine under
// testdata/machines, the benchmarks registered and every skip reason must equal its plan.txt.
// A change that drops (or adds) benchmarks on some machine shows up here as a diff.
#include "host/app/machine_plan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

std::vector<std::string> profiles() {
  std::vector<std::string> out;
  std::string root = testing::testdata("machines");
  if (DIR* d = opendir(root.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.' && e->d_type == DT_DIR) out.push_back(root + "/" + e->d_name);
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(MachineProfiles, TheCorpusHoldsTheRecordedMachinesAndSyntheticOnes) {
  std::set<std::string> names;
  for (const std::string& p : profiles()) names.insert(p.substr(p.rfind('/') + 1));
  for (const char* needed : {"zen5-vm-no-rdtscp", "intel-amx-kvm-pvm", "zen3-kvm-pvm", "epyc-2ccd-smt",
                             "synthetic-two-socket-spr", "client-l2-cluster-unprivileged"})
    EXPECT_TRUE(names.count(needed)) << needed;
}

TEST(MachineProfiles, EachPlanEqualsItsExpectedList) {
  for (const std::string& dir : profiles()) {
    std::vector<std::string> got = lines(profile_plan_text(dir)), want = lines(read(dir + "/plan.txt"));
    std::set<std::string> got_set(got.begin(), got.end()), want_set(want.begin(), want.end());
    std::string diff;
    for (const std::string& l : want)
      if (!got_set.count(l)) diff += "  - " + l + "\n";
    for (const std::string& l : got)
      if (!want_set.count(l)) diff += "  + " + l + "\n";
    EXPECT_EQ(got, want) << dir << ": the plan changed (- expected, + now):\n"
                         << diff << "if the change is intended: build/host/fpubench plan --profile=" << dir
                         << " > " << dir << "/plan.txt";
  }
}

// The schema Python reads instead of names: a row's name is its family and variant, its baseline
// is a row of the same plan, and it says which figure judges it.
TEST(MachineProfiles, EveryRowsFieldsAgreeWithItsNameAndItsBaselineIsPlanned) {
  for (const std::string& dir : profiles()) {
    Options json;
    json.plan_json = true;
    nlohmann::json plan = nlohmann::json::parse(profile_plan_text(dir, json));
    std::set<std::string> names;
    for (const auto& r : plan["rows"]) names.insert(r["name"].get<std::string>());
    for (const auto& r : plan["rows"]) {
      const auto& row = r["row"];
      std::string name = r["name"], variant = row["variant"];
      EXPECT_EQ(name, row["family"].get<std::string>() + (variant.empty() ? "" : "/" + variant)) << dir;
      EXPECT_TRUE(row["baseline"] == "" || names.count(row["baseline"].get<std::string>()))
          << dir << " " << name;
      EXPECT_NE(row["figure"], "") << dir << " " << name;
      EXPECT_NE(row["suite"], "") << dir << " " << name;
      EXPECT_EQ(name.rfind(row["suite"].get<std::string>() + "/", 0), 0u) << dir << " " << name;
    }
  }
}

TEST(MachineProfiles, AMachineWithoutRdtscpTimesWithLfenceRdtsc) {
  std::string plan = profile_plan_text(testing::testdata("machines/zen5-vm-no-rdtscp"));
  EXPECT_EQ(plan.rfind("tsc_read lfence;rdtsc\n", 0), 0u) << plan;
}

TEST(MachineProfiles, CoresSharingNoCacheGetTheirPingPongsAndTheSpinFloor) {
  std::string plan = profile_plan_text(testing::testdata("machines/zen5-vm-no-rdtscp"));
  for (const char* mechanism : {"futex", "eventfd", "pipe", "unix", "spin"})
    EXPECT_NE(plan.find(std::string("run pingpong/") + mechanism + "/cross-llc/none\n"), std::string::npos)
        << mechanism;
}

TEST(MachineProfiles, EachAbsentCapabilitySkipsWithOneLineAndNothingElseIsLost) {
  std::string plan = profile_plan_text(testing::testdata("machines/zen5-vm-no-rdtscp"));
  EXPECT_NE(plan.find("skip kvm/*: no /dev/kvm"), std::string::npos);
  EXPECT_NE(plan.find("skip counters/hardware: no hardware PMU"), std::string::npos);
  EXPECT_NE(plan.find("run xsave/XSAVEC/avx512/modified"), std::string::npos);
  EXPECT_NE(plan.find("run signal/self/avx512"), std::string::npos);

  std::string user = profile_plan_text(testing::testdata("machines/client-l2-cluster-unprivileged"));
  EXPECT_NE(user.find("skip kvm/*: no permission to open /dev/kvm"), std::string::npos);
  EXPECT_NE(user.find("skip counters/tracepoints: tracefs is not mounted and mounting it needs root"),
            std::string::npos);
  EXPECT_NE(user.find("run pingpong/futex/shared-l2/avx\n"), std::string::npos);
}

TEST(MachineFacts, FormatAndParseRoundTrip) {
  MachineFacts f;
  f.amx_unavailable = "XCR0 does not enable AMX";
  f.guest.avx512_unavailable = "the guest cannot run AVX-512 under this hypervisor";
  f.guest.xsaves = true;
  f.guest.xcr0 = 0xe7;
  f.hardware_counters_unavailable = "no hardware PMU";
  MachineFacts again = parse_facts(format_facts(f));
  EXPECT_EQ(again.amx_unavailable, f.amx_unavailable);
  EXPECT_EQ(again.kvm_unavailable, "");
  EXPECT_EQ(again.guest.avx_unavailable, "");
  EXPECT_EQ(again.guest.avx512_unavailable, f.guest.avx512_unavailable);
  EXPECT_TRUE(again.guest.xsaves);
  EXPECT_EQ(again.guest.xcr0, 0xe7u);
  EXPECT_EQ(again.hardware_counters_unavailable, "no hardware PMU");
  EXPECT_EQ(again.tracepoints_unavailable, "");
}

TEST(MachineFacts, BadLinesAreNamed) {
  try {
    parse_facts("amx: ok\nkvm ok\n");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("facts line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_facts("amx: ok\nkvm: ok\nhardware_counters: ok\ntracepoints: ok\n"), std::runtime_error)
      << "KVM usable but nothing said about its guests";
}

}  // namespace
}  // namespace fpubench
