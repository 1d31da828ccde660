#include "bench/cpuid_source.h"

#include <gtest/gtest.h>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

using testing::recorded_cpu;

TEST(RecordedCpuid, ParsesLeavesAndXgetbv) {
  RecordedCpuid cpu = RecordedCpuid::parse(
      "# comment\n"
      "0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
      "   0x0000000d 0x01: eax=0x00000001 ebx=0x00000000 ecx=0x00000000 edx=0x00000000  # tail\n"
      "xgetbv 0x0: 0x7\n");
  EXPECT_EQ(cpu.query(0xd, 1).eax, 1u);
  EXPECT_EQ(cpu.query(0xd, 2), CpuidRegs{});  // absent leaves read as zero
  EXPECT_EQ(cpu.xgetbv(0), 7u);
  EXPECT_FALSE(cpu.xgetbv(1).has_value());
}

TEST(RecordedCpuid, RejectsMalformedLineNamingIt) {
  try {
    RecordedCpuid::parse(
        "0x00000000 0x00: eax=0x0000000d ebx=0x0 ecx=0x0 edx=0x0\n0x1 0x0: eax=0x1 ebx=zz\n");
    FAIL() << "accepted a malformed line";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
}

TEST(RecordedCpuid, RejectsDumpWithoutLeafZero) {
  EXPECT_THROW(RecordedCpuid::parse("xgetbv 0x0: 0x7\n"), std::runtime_error);
}

TEST(RecordedCpuid, MissingFileIsAClearError) {
  try {
    RecordedCpuid::load("/nonexistent/dump.txt");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dump.txt"), std::string::npos);
  }
}

TEST(DumpCpuid, RoundTripsThroughTheParser) {
  for (const char* name : {"zen4-genoa", "sapphire-rapids", "skylake-client", "sandy-bridge"}) {
    RecordedCpuid original = recorded_cpu(name);
    std::string text = dump_cpuid(original);
    RecordedCpuid again = RecordedCpuid::parse(text);
    EXPECT_EQ(dump_cpuid(again), text) << name;
    EXPECT_EQ(again.query(0xd, 0), original.query(0xd, 0)) << name;
    EXPECT_EQ(again.xgetbv(0), original.xgetbv(0)) << name;
  }
}

TEST(DumpCpuid, ThisMachineRoundTrips) {
  HardwareCpuid cpu;
  RecordedCpuid again = RecordedCpuid::parse(dump_cpuid(cpu));
  EXPECT_EQ(again.query(0xd, 0), cpu.query(0xd, 0));
  EXPECT_EQ(again.query(1), cpu.query(1));
  EXPECT_EQ(again.xgetbv(0), cpu.xgetbv(0));
}

TEST(IdentifyCpu, DecodesDisplayFamilyAndModel) {
  CpuIdentity zen4 = identify_cpu(recorded_cpu("zen4-genoa"));
  EXPECT_EQ(zen4.vendor, "AuthenticAMD");
  EXPECT_EQ(zen4.family, 0x19u);
  EXPECT_EQ(zen4.model, 0x11u);
  EXPECT_EQ(zen4.stepping, 1u);
  EXPECT_EQ(zen4.hypervisor, "");
  CpuIdentity spr = identify_cpu(recorded_cpu("sapphire-rapids"));
  EXPECT_EQ(spr.vendor, "GenuineIntel");
  EXPECT_EQ(spr.family, 6u);
  EXPECT_EQ(spr.model, 0x8fu);
  EXPECT_EQ(spr.stepping, 8u);
}

TEST(CpuHas, ReadsFeatureBitsAndRespectsMaxLeaf) {
  RecordedCpuid snb = recorded_cpu("sandy-bridge");
  EXPECT_TRUE(cpu_has(snb, CpuFeature::kAvx));
  EXPECT_TRUE(cpu_has(snb, CpuFeature::kXsaveopt));
  EXPECT_FALSE(cpu_has(snb, CpuFeature::kXsavec));
  EXPECT_FALSE(cpu_has(snb, CpuFeature::kAvx2));  // leaf 7 is within range but zero
  RecordedCpuid skl = recorded_cpu("skylake-client");
  EXPECT_TRUE(cpu_has(skl, CpuFeature::kAvx2));
  EXPECT_FALSE(cpu_has(skl, CpuFeature::kAvx512F));
  RecordedCpuid spr = recorded_cpu("sapphire-rapids");
  EXPECT_TRUE(cpu_has(spr, CpuFeature::kAmxTile));
  EXPECT_TRUE(cpu_has(spr, CpuFeature::kXfd));
  EXPECT_TRUE(cpu_has(spr, CpuFeature::kOspke));
  EXPECT_TRUE(cpu_has(recorded_cpu("zen4-genoa"), CpuFeature::kAvx512Bw));
}

TEST(CpuidTsc, UsesLeaf15OnlyWhenTheCrystalIsEnumerated) {
  EXPECT_DOUBLE_EQ(*cpuid_tsc_hz(recorded_cpu("sapphire-rapids")), 2.0e9);
  EXPECT_FALSE(cpuid_tsc_hz(recorded_cpu("skylake-client")).has_value());  // ECX = 0
  EXPECT_FALSE(cpuid_tsc_hz(recorded_cpu("zen4-genoa")).has_value());      // no leaf 0x15
  EXPECT_EQ(cpuid_base_mhz(recorded_cpu("skylake-client")), 4000u);
}

}  // namespace
}  // namespace fpubench
