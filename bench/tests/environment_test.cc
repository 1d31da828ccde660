#include "bench/environment.h"

#include <gtest/gtest.h>

#include <map>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

std::map<std::string, std::string> as_map(const Context& c) { return {c.begin(), c.end()}; }

TEST(Environment, ReadsAnInjectedTree) {
  RecordedCpuid cpu = testing::recorded_cpu("sapphire-rapids");
  XstateLayout x = enumerate_xstate(cpu);
  TscInfo tsc{2.0e9, "cpuid.15h", true, 30};
  Topology topo = Topology::from_xml_file(testing::testdata("topology/two-socket-smt.xml"));
  auto env = as_map(collect_environment({testing::testdata("sysroot"), &cpu, &x, &tsc, &topo}));
  EXPECT_EQ(env["kernel_release"], "6.1.0-28-amd64");
  EXPECT_EQ(env["kernel_version"], "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)");
  EXPECT_EQ(env["kernel_cmdline"].rfind("BOOT_IMAGE=", 0), 0u);
  EXPECT_EQ(env["cpu_vendor"], "GenuineIntel");
  EXPECT_EQ(env["cpu_family"], "0x6");
  EXPECT_EQ(env["cpu_model"], "0x8f");
  EXPECT_EQ(env["cpu_stepping"], "8");
  EXPECT_EQ(env["cpu_microcode"], "0x2b000603");
  EXPECT_EQ(env["hypervisor"], "none");
  EXPECT_EQ(env["xcr0"], "0x602e7");
  EXPECT_EQ(env["xcr0_components"], "x87|SSE|AVX|opmask|ZMM_Hi256|Hi16_ZMM|PKRU|XTILECFG|XTILEDATA");
  EXPECT_EQ(env["xsave_features"], "XSAVE XSAVEOPT XSAVEC XSAVES XGETBV1 XFD");
  EXPECT_EQ(env["xsave_standard_bytes"], "11008");
  EXPECT_EQ(env["xsave_compacted_bytes"], "10752");
  EXPECT_EQ(env["tsc_hz"], "2000000000");
  EXPECT_EQ(env["tsc_source"], "cpuid.15h");
  EXPECT_EQ(env["vulnerability.meltdown"], "Not affected");
  EXPECT_EQ(env["vulnerability.spectre_v2"].rfind("Mitigation: Enhanced", 0), 0u);
  EXPECT_EQ(env["cpufreq_governor"], "performance");
  EXPECT_EQ(env["cpu_boost"], "off");  // intel_pstate no_turbo = 1
  EXPECT_EQ(env["smt_control"], "on");
  EXPECT_EQ(env["perf_event_paranoid"], "2");
  EXPECT_EQ(env["topology"], "2 packages, 8 cores, 16 PUs, 2 NUMA nodes, SMT on");
}

TEST(Environment, UnreadableItemsSayUnavailable) {
  RecordedCpuid cpu = testing::recorded_cpu("zen4-genoa");
  XstateLayout x = enumerate_xstate(cpu);
  auto env = as_map(collect_environment({"/nonexistent-root", &cpu, &x, nullptr, nullptr}));
  EXPECT_EQ(env["kernel_release"], "unavailable");
  EXPECT_EQ(env["cpu_boost"], "unavailable");
  EXPECT_EQ(env["cpu_vendor"], "AuthenticAMD");
  EXPECT_EQ(env.count("tsc_hz"), 0u);
}

TEST(Environment, ThisMachineNamesItsHypervisorWhenThereIsOne) {
  HardwareCpuid cpu;
  XstateLayout x = enumerate_xstate(cpu);
  auto env = as_map(collect_environment({"/", &cpu, &x, nullptr, nullptr}));
  EXPECT_NE(env["kernel_release"], "unavailable");
  if (cpu_has(cpu, CpuFeature::kHypervisor)) {
    EXPECT_NE(env["hypervisor"], "none");
  } else {
    EXPECT_EQ(env["hypervisor"], "none");
  }
}

}  // namespace
}  // namespace fpubench
