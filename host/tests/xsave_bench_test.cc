#include "host/xsave/xsave_bench.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

bool has(const std::vector<XsaveVariant>& plan, const std::string& name) {
  return std::any_of(plan.begin(), plan.end(),
                     [&](const XsaveVariant& v) { return row_name(v.row) == name; });
}
std::string reason(const SkipList& s, const std::string& what) {
  for (const Skipped& k : s)
    if (k.what == what) return k.why;
  return "";
}

TEST(PlanXsave, SandyBridgeHasNoCompactedFormAndNoAvx512) {
  XstateLayout l = enumerate_xstate(testing::recorded_cpu("sandy-bridge"));
  SkipList skipped;
  auto plan = plan_xsave_benchmarks(l, "XCR0 does not enable AMX", skipped);
  EXPECT_TRUE(has(plan, "xsave/XSAVEOPT/avx/unmodified"));
  EXPECT_TRUE(has(plan, "xsave/FXSAVE/sse/init"));
  EXPECT_FALSE(has(plan, "xsave/FXSAVE/avx/init"));
  EXPECT_FALSE(has(plan, "xsave/XSAVEC/sse/init"));
  EXPECT_EQ(reason(skipped, "xsave/XSAVEC/*"), "requires XSAVEC");
  EXPECT_EQ(reason(skipped, "xsave/XRSTOR-compacted/*"), "requires XSAVEC (the compacted format)");
  EXPECT_EQ(reason(skipped, "xsave/*/avx512/*"), "XCR0 does not enable opmask|ZMM_Hi256|Hi16_ZMM");
  // FX: 2 instructions x 1 set x 3 states; XSAVE, XSAVEOPT, XRSTOR x {sse, avx, all} x 3.
  EXPECT_EQ(plan.size(), 6u + 3 * 3 * 3);
}

TEST(PlanXsave, SapphireRapidsIncludesAmxWhenGranted) {
  XstateLayout l = enumerate_xstate(testing::recorded_cpu("sapphire-rapids"));
  SkipList skipped;
  auto plan = plan_xsave_benchmarks(l, "", skipped);
  EXPECT_TRUE(has(plan, "xsave/XSAVEC/amx/init"));
  EXPECT_TRUE(has(plan, "xsave/XRSTOR-compacted/avx512/modified"));
  EXPECT_TRUE(skipped.empty());
  auto amx = std::find_if(plan.begin(), plan.end(),
                          [](auto& v) { return row_name(v.row) == "xsave/XSAVE/amx/init"; });
  EXPECT_EQ(amx->rfbm, 0x600e7u);
  auto all = std::find_if(plan.begin(), plan.end(),
                          [](auto& v) { return row_name(v.row) == "xsave/XSAVE/all/init"; });
  EXPECT_EQ(all->rfbm, 0x602e7u);
}

TEST(PlanXsave, AmxRefusedByTheKernelIsSkippedWithTheReason) {
  XstateLayout l = enumerate_xstate(testing::recorded_cpu("sapphire-rapids"));
  SkipList skipped;
  auto plan = plan_xsave_benchmarks(l, "the kernel refused it", skipped);
  EXPECT_FALSE(has(plan, "xsave/XSAVE/amx/init"));
  EXPECT_EQ(reason(skipped, "xsave/*/amx/*"), "the kernel refused it");
}

TEST(XsaveBytes, FollowXstateBvAndTheFormat) {
  XstateLayout l = enumerate_xstate(testing::recorded_cpu("zen4-genoa"));
  uint64_t avx512 = 0xe7;
  EXPECT_EQ(xsave_bytes_per_insn(XsaveOp::kFxsave, l, 3, 3), 512u);
  // XSAVE writes every requested component, in use or not.
  EXPECT_EQ(xsave_bytes_per_insn(XsaveOp::kXsave, l, avx512, 0), 576u + 256 + 64 + 512 + 1024);
  // The others move only what XSTATE_BV marks present.
  EXPECT_EQ(xsave_bytes_per_insn(XsaveOp::kXsavec, l, avx512, 0), 576u);
  EXPECT_EQ(xsave_bytes_per_insn(XsaveOp::kXsaveopt, l, avx512, 0x7), 576u + 256);
  EXPECT_EQ(xsave_bytes_per_insn(XsaveOp::kXrstor, l, avx512, avx512), 576u + 256 + 64 + 512 + 1024);
}

}  // namespace
}  // namespace fpubench
