// Register-state control and the XSAVE-family invariants that do not depend on timing, on the CPU
// the tests run on: every component it has and fpubench controls.
#include "bench/regstate.h"

#include <gtest/gtest.h>

#include "bench/tests/live_registers.h"
#include "bench/tests/regstate_probe.h"
#include "bench/xstate_image.h"
#include "bench/xstate_permission.h"

namespace fpubench {
namespace {

using testing::SaveWith;

class RegisterStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!layout_.xsave) GTEST_SKIP() << "requires XSAVE enabled by the OS";
    mask_ = regs_->controllable();
  }

  testing::LiveRegisters live_;
  const XstateLayout& layout_ = live_.layout;
  std::unique_ptr<RegisterState>& regs_ = live_.regs;
  uint64_t mask_ = 0;
};

TEST_F(RegisterStateTest, ControlsTheVectorStateThisCpuEnables) {
  EXPECT_EQ(mask_ & 3, 3u);
  if (layout_.enables(component_bit(kAvxState))) {
    EXPECT_TRUE(mask_ & component_bit(kAvxState));
  }
  if (layout_.enables(component_bit(kHi16Zmm))) {
    EXPECT_TRUE(mask_ & component_bit(kHi16Zmm));
  }
}

TEST_F(RegisterStateTest, PatternReadsBackExactly) {
  XstateImage pattern = make_pattern(layout_, mask_, 42), found(layout_);
  testing::load_then_read(*regs_, pattern, mask_, found);
  auto diff = compare_images(layout_, pattern, found, mask_);
  EXPECT_FALSE(diff) << diff->describe();
}

TEST_F(RegisterStateTest, EachComponentLoadsAlone) {
  // Loading one component must not disturb the others: load a base pattern everywhere, then a
  // second pattern into one component, and expect exactly that mix.
  for (const XstateComponent& c : layout_.components) {
    uint64_t bit = component_bit(c.id);
    if (!(mask_ & bit) || c.id == kXtiledata || c.id == kXtilecfg) continue;
    XstateImage base = make_pattern(layout_, mask_, 1), one = make_pattern(layout_, mask_, 2);
    XstateImage expected = base, found(layout_);
    for (const ByteRange& r : significant_bytes(layout_, c.id))
      std::copy_n(one.data() + r.offset, r.length, expected.data() + r.offset);
    testing::load_overlay_then_read(*regs_, base, mask_, one, bit, found);
    auto diff = compare_images(layout_, expected, found, mask_);
    EXPECT_FALSE(diff) << component_name(c.id) << ": " << diff->describe();
  }
}

TEST_F(RegisterStateTest, DifferentSeedsDifferInEveryComponent) {
  XstateImage a = make_pattern(layout_, mask_, 1), b = make_pattern(layout_, mask_, 2);
  for (const XstateComponent& c : layout_.components) {
    if (!(mask_ & component_bit(c.id)) || c.id == kXtilecfg) continue;
    EXPECT_TRUE(compare_images(layout_, a, b, component_bit(c.id))) << component_name(c.id);
  }
}

TEST_F(RegisterStateTest, XsaveWritesThePatternAtCpuidOffsets) {
  XstateImage pattern = make_pattern(layout_, mask_, 7), saved(layout_);
  testing::load_then_save(*regs_, pattern, mask_, SaveWith::kXsave, saved);
  EXPECT_EQ(saved.xstate_bv() & mask_, mask_) << describe_components(saved.xstate_bv());
  EXPECT_EQ(saved.xcomp_bv(), 0u);
  auto diff = compare_images(layout_, pattern, to_standard(layout_, saved, mask_), mask_);
  EXPECT_FALSE(diff) << diff->describe();
}

TEST_F(RegisterStateTest, XsavecWritesThePatternAtComputedCompactedOffsets) {
  if (!layout_.xsavec) GTEST_SKIP() << "requires XSAVEC";
  XstateImage pattern = make_pattern(layout_, mask_, 8), saved(layout_);
  testing::load_then_save(*regs_, pattern, mask_, SaveWith::kXsavec, saved);
  EXPECT_EQ(saved.xcomp_bv(), (mask_ & layout_.xcr0) | kXcompBvCompacted);
  EXPECT_EQ(saved.xstate_bv() & mask_, mask_);
  // to_standard() copies each component from layout.compacted_offset(): a wrong offset shows
  // up as a mismatch here.
  auto diff = compare_images(layout_, pattern, to_standard(layout_, saved, mask_), mask_);
  EXPECT_FALSE(diff) << diff->describe();
}

TEST_F(RegisterStateTest, XsaveoptAndInitStateAgree) {
  if (!layout_.xsaveopt) GTEST_SKIP() << "requires XSAVEOPT";
  XstateImage pattern = make_pattern(layout_, mask_, 9), saved(layout_);
  testing::load_then_save(*regs_, pattern, mask_, SaveWith::kXsaveopt, saved);
  auto diff = compare_images(layout_, pattern, to_standard(layout_, saved, mask_), mask_);
  EXPECT_FALSE(diff) << diff->describe();
}

TEST_F(RegisterStateTest, InitStateSavesAsInit) {
  XstateImage init = make_init_image(layout_);
  for (SaveWith how : {SaveWith::kXsave, SaveWith::kXsaveopt, SaveWith::kXsavec}) {
    if (how == SaveWith::kXsaveopt && !layout_.xsaveopt) continue;
    if (how == SaveWith::kXsavec && !layout_.xsavec) continue;
    XstateImage saved(layout_);
    testing::init_then_save(*regs_, mask_, how, saved);
    // The CPU may report a component in use even in init state (SDM 13.6), but then its
    // contents must be the init values.
    auto diff = compare_images(layout_, init, to_standard(layout_, saved, mask_), mask_);
    EXPECT_FALSE(diff) << int(how) << ": " << diff->describe();
    uint64_t beyond_legacy = mask_ & ~uint64_t{3};
    EXPECT_EQ(saved.xstate_bv() & beyond_legacy & ~component_bit(kPkruState), 0u)
        << describe_components(saved.xstate_bv());
  }
}

TEST_F(RegisterStateTest, XrstorReproducesRegistersInBothFormats) {
  XstateImage source = make_pattern(layout_, mask_, 11), found(layout_);
  testing::restore_then_read(*regs_, source, mask_, false, found);
  auto diff = compare_images(layout_, source, found, mask_);
  EXPECT_FALSE(diff) << "standard: " << diff->describe();
  if (!layout_.xsavec) return;
  XstateImage compacted(layout_), found2(layout_);
  testing::load_then_save(*regs_, source, mask_, SaveWith::kXsavec, compacted);
  testing::restore_then_read(*regs_, compacted, mask_, false, found2);
  diff = compare_images(layout_, source, found2, mask_);
  EXPECT_FALSE(diff) << "compacted: " << diff->describe();
}

TEST_F(RegisterStateTest, FxsaveAndFxrstorCoverX87AndSse) {
  uint64_t legacy = component_bit(kX87) | component_bit(kSseState);
  XstateImage pattern = make_pattern(layout_, legacy, 12), saved(layout_), found(layout_);
  testing::load_then_save(*regs_, pattern, legacy, SaveWith::kFxsave, saved);
  saved.set_xstate_bv(legacy);  // FXSAVE has no header; the legacy region is the whole state
  auto diff = compare_images(layout_, pattern, saved, legacy);
  EXPECT_FALSE(diff) << diff->describe();
  testing::restore_then_read(*regs_, saved, legacy, true, found);
  diff = compare_images(layout_, pattern, found, legacy);
  EXPECT_FALSE(diff) << diff->describe();
}

TEST_F(RegisterStateTest, XinuseReportsLoadedComponents) {
  if (!layout_.xgetbv1) GTEST_SKIP() << "requires XGETBV1";
  XstateImage pattern = make_pattern(layout_, mask_, 13);
  uint64_t inuse = testing::load_then_xinuse(*regs_, pattern, mask_);
  EXPECT_EQ(inuse & mask_, mask_) << describe_components(inuse);
}

TEST_F(RegisterStateTest, CompareFindsAFlippedBitAndNamesIt) {
  XstateImage pattern = make_pattern(layout_, mask_, 14);
  for (const XstateComponent& c : layout_.components) {
    if (!(mask_ & component_bit(c.id))) continue;
    XstateImage corrupted = pattern;
    ByteRange r = significant_bytes(layout_, c.id).back();
    corrupted.data()[r.offset + r.length - 1] ^= 0x10;
    auto diff = compare_images(layout_, pattern, corrupted, mask_);
    ASSERT_TRUE(diff) << component_name(c.id);
    EXPECT_EQ(diff->component, c.id);
    uint32_t base = c.id < 2 ? 0 : c.offset;
    EXPECT_EQ(diff->offset, r.offset + r.length - 1 - base);
  }
}

}  // namespace
}  // namespace fpubench
