// "Is my register state still what I left?" after every wake-up: reads the registers and compares
// the bytes that carry state against the expected image with word compares, cheap enough to run
// on every round trip. Built with -mgeneral-regs-only so checking does not disturb what it checks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bench/regstate.h"
#include "bench/xstate_image.h"

namespace fpubench {

class StateCheck {
 public:
  // `expected` must outlive the check. `mask`: the components to compare.
  StateCheck(const XstateLayout& layout, const RegisterState& regs, const XstateImage& expected,
             uint64_t mask);

  // Puts the expected state into the registers (components outside it in init state first).
  void load() const;
  // Puts every component back into init state. Needed before returning to ordinary code: the
  // x87 part of a pattern fills the register stack, which the ABI requires empty at calls.
  void unload() const { regs_.init(regs_.controllable()); }
  // Reads the registers and compares; no allocation, no vector instructions.
  bool registers_match();
  // After a failed registers_match(): which component and bytes differ.
  Mismatch mismatch() const;
  uint64_t mask() const { return mask_; }
  // Test hook: loads other contents into this check's components without changing what is
  // expected, so that the next registers_match() must fail.
  void regs_load_for_test(const XstateImage& image, uint64_t mask) const { regs_.load(image, mask); }

 private:
  const XstateLayout& layout_;
  const RegisterState& regs_;
  const XstateImage& expected_;
  XstateImage found_;
  uint64_t mask_;
  std::vector<ByteRange> ranges_;
};

}  // namespace fpubench
