#include "bench/state_check.h"

#include <gtest/gtest.h>

#include "bench/tests/live_registers.h"
#include "bench/tests/regstate_probe.h"
#include "bench/xstate_permission.h"

namespace fpubench {
namespace {

class StateCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!layout_.xsave) GTEST_SKIP() << "requires XSAVE enabled by the OS";
  }
  testing::LiveRegisters live_;
  const XstateLayout& layout_ = live_.layout;
  std::unique_ptr<RegisterState>& regs_ = live_.regs;
};

TEST_F(StateCheckTest, UntouchedStateMatches) {
  XstateImage expected = make_pattern(layout_, regs_->controllable(), 3);
  StateCheck check(layout_, *regs_, expected, regs_->controllable());
  EXPECT_TRUE(testing::check_after_overwriting(check, expected, 0));
}

TEST_F(StateCheckTest, InitStateMatchesTheInitImage) {
  XstateImage expected = make_init_image(layout_);
  StateCheck check(layout_, *regs_, expected, regs_->controllable());
  EXPECT_TRUE(testing::check_after_overwriting(check, expected, 0));
}

TEST_F(StateCheckTest, CatchesOneFlippedBitInEachComponentAndNamesIt) {
  uint64_t mask = regs_->controllable();
  XstateImage expected = make_pattern(layout_, mask, 4);
  for (const XstateComponent& c : layout_.components) {
    if (!(mask & component_bit(c.id)) || c.id == kXtilecfg) continue;  // a bad tile config faults
    XstateImage corrupted = expected;
    ByteRange r = significant_bytes(layout_, c.id).back();
    uint32_t at = r.offset + r.length / 2;
    corrupted.data()[at] ^= 0x04;
    StateCheck check(layout_, *regs_, expected, mask);
    ASSERT_FALSE(testing::check_after_overwriting(check, corrupted, component_bit(c.id)))
        << component_name(c.id);
    Mismatch m = check.mismatch();
    EXPECT_EQ(m.component, c.id);
    EXPECT_EQ(m.offset, at - (c.id < 2 ? 0 : c.offset)) << m.describe();
    EXPECT_NE(m.describe().find(component_name(c.id)), std::string::npos);
  }
}

}  // namespace
}  // namespace fpubench
