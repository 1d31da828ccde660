#include "bench/xstate.h"

#include <gtest/gtest.h>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

using testing::recorded_cpu;

struct Expected {
  unsigned id;
  uint32_t size, offset;
};

void expect_components(const XstateLayout& x, std::initializer_list<Expected> want) {
  for (const Expected& e : want) {
    const XstateComponent* c = x.find(e.id);
    ASSERT_NE(c, nullptr) << component_name(e.id);
    EXPECT_EQ(c->size, e.size) << component_name(e.id);
    EXPECT_EQ(c->offset, e.offset) << component_name(e.id);
  }
}

TEST(EnumerateXstate, Zen4) {
  XstateLayout x = enumerate_xstate(recorded_cpu("zen4-genoa"));
  EXPECT_EQ(x.xcr0, 0x2e7u);
  EXPECT_TRUE(x.xsaveopt && x.xsavec && x.xsaves && x.xgetbv1);
  EXPECT_FALSE(x.xfd);
  expect_components(x, {{kAvxState, 256, 576},
                        {kOpmask, 64, 832},
                        {kZmmHi256, 512, 896},
                        {kHi16Zmm, 1024, 1408},
                        {kPkruState, 8, 2432}});
  EXPECT_EQ(x.supported_xss, component_bit(kCetUser) | component_bit(kCetSupervisor));
  EXPECT_TRUE(x.find(kCetUser)->supervisor);
  EXPECT_EQ(x.standard_size(x.xcr0), 2440u);
  EXPECT_EQ(x.standard_size(x.xcr0), x.cpuid_standard_size);
  // No component is 64-byte aligned, so the compacted format packs them back to back.
  EXPECT_EQ(x.compacted_offset(kPkruState, x.xcr0), 2432u);
  EXPECT_EQ(x.compacted_size(x.xcr0), x.cpuid_compacted_size);
}

TEST(EnumerateXstate, SapphireRapidsWithAmx) {
  XstateLayout x = enumerate_xstate(recorded_cpu("sapphire-rapids"));
  EXPECT_EQ(x.xcr0, 0x602e7u);
  EXPECT_TRUE(x.xfd);
  expect_components(x, {{kPkruState, 8, 2688}, {kXtilecfg, 64, 2752}, {kXtiledata, 8192, 2816}});
  EXPECT_TRUE(x.find(kXtilecfg)->align64);
  EXPECT_TRUE(x.find(kXtiledata)->align64);
  EXPECT_TRUE(x.find(kXtiledata)->xfd);
  EXPECT_EQ(x.standard_size(x.xcr0), 0x2b00u);
  // Compacted: PKRU ends at 2440, so XTILECFG is pushed to the next 64-byte boundary.
  EXPECT_EQ(x.compacted_offset(kPkruState, x.xcr0), 2432u);
  EXPECT_EQ(x.compacted_offset(kXtilecfg, x.xcr0), 2496u);
  EXPECT_EQ(x.compacted_offset(kXtiledata, x.xcr0), 2560u);
  EXPECT_EQ(x.compacted_size(x.xcr0), 10752u);
  // With the supervisor components the dump's EBX assumes (PASID, CET_U) the size matches CPUID.
  uint64_t xss = component_bit(kPasid) | component_bit(kCetUser);
  EXPECT_EQ(x.compacted_offset(kPasid, x.xcr0 | xss), 2440u);
  EXPECT_EQ(x.compacted_size(x.xcr0 | xss), x.cpuid_compacted_size);
  EXPECT_EQ(describe_components(x.supported_xss), "PT|PASID|CET_U|CET_S|LBR");
}

TEST(EnumerateXstate, Avx2WithoutAvx512OnlyListsWhatXcr0Enables) {
  XstateLayout x = enumerate_xstate(recorded_cpu("skylake-client"));
  EXPECT_EQ(x.xcr0, 0x7u);
  EXPECT_EQ(x.supported_xcr0, 0x1fu);  // MPX supported but not enabled
  EXPECT_EQ(x.find(kBndregs), nullptr);
  EXPECT_EQ(x.find(kOpmask), nullptr);
  EXPECT_EQ(x.standard_size(x.xcr0), 832u);
  EXPECT_EQ(x.compacted_size(x.xcr0), x.cpuid_compacted_size);
  EXPECT_FALSE(x.enables(component_bit(kZmmHi256)));
}

TEST(EnumerateXstate, XsaveWithoutXsavec) {
  XstateLayout x = enumerate_xstate(recorded_cpu("sandy-bridge"));
  EXPECT_TRUE(x.xsave);
  EXPECT_TRUE(x.xsaveopt);
  EXPECT_FALSE(x.xsavec);
  EXPECT_FALSE(x.xsaves);
  EXPECT_FALSE(x.xgetbv1);
  EXPECT_EQ(x.supported_xss, 0u);
  expect_components(x, {{kX87, 160, 0}, {kSseState, 256, 160}, {kAvxState, 256, 576}});
  EXPECT_EQ(x.standard_size(x.xcr0), x.cpuid_standard_size);
}

TEST(EnumerateXstate, NoOsxsaveMeansNoXsave) {
  RecordedCpuid cpu = RecordedCpuid::parse(
      "0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
      "0x00000001 0x00: eax=0x000206a7 ebx=0x0 ecx=0x04000000 edx=0x0\n");  // XSAVE, no OSXSAVE
  XstateLayout x = enumerate_xstate(cpu);
  EXPECT_FALSE(x.xsave);
  EXPECT_TRUE(x.components.empty());
}

TEST(EnumerateXstate, ComponentWithoutSizeIsAnError) {
  RecordedCpuid cpu = RecordedCpuid::parse(
      "0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
      "0x00000001 0x00: eax=0x000206a7 ebx=0x0 ecx=0x0c000000 edx=0x0\n"
      "0x0000000d 0x00: eax=0x00000007 ebx=0x340 ecx=0x340 edx=0x0\n"
      "xgetbv 0x0: 0x7\n");
  try {
    enumerate_xstate(cpu);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("AVX"), std::string::npos) << e.what();
  }
}

TEST(EnumerateXstate, ThisMachineAgreesWithItsOwnCpuid) {
  XstateLayout x = enumerate_xstate(HardwareCpuid());
  if (!x.xsave) GTEST_SKIP() << "requires XSAVE enabled by the OS";
  EXPECT_EQ(x.standard_size(x.xcr0), x.cpuid_standard_size);
  EXPECT_LE(x.compacted_size(x.xcr0), x.cpuid_compacted_size);
}

TEST(DescribeComponents, NamesBits) {
  EXPECT_EQ(describe_components(0x7), "x87|SSE|AVX");
  EXPECT_EQ(describe_components(0), "none");
  EXPECT_EQ(describe_components(component_bit(40)), "component40");
}

TEST(KernelXsaveInsns, FollowTheKernelsAlternativesForEachRecordedCpu) {
  struct Case {
    const char* cpu;
    const char* save;
    const char* restore;
  };
  for (Case c : {Case{"sapphire-rapids", "XSAVES", "XRSTORS"}, Case{"zen4-genoa", "XSAVES", "XRSTORS"},
                 Case{"kvm-guest-amx-this-machine", "XSAVES", "XRSTORS"},
                 Case{"zen5-vm-no-rdtscp", "XSAVEC", "XRSTOR-compacted"},  // a VM hiding XSAVES
                 Case{"sandy-bridge", "XSAVEOPT", "XRSTOR"}}) {
    KernelXsaveInsns k = kernel_xsave_insns(enumerate_xstate(testing::recorded_cpu(c.cpu)));
    EXPECT_STREQ(k.save, c.save) << c.cpu;
    EXPECT_STREQ(k.restore, c.restore) << c.cpu;
  }
  XstateLayout plain_xsave;  // the first XSAVE CPUs: no XSAVEOPT yet
  plain_xsave.xsave = true;
  EXPECT_STREQ(kernel_xsave_insns(plain_xsave).save, "XSAVE");
  EXPECT_STREQ(kernel_xsave_insns(XstateLayout{}).save, "none");
}

}  // namespace
}  // namespace fpubench
