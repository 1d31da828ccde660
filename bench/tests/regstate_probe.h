// Sequences for the register-state tests that must run without the compiler touching vector
// registers between their steps (this file is built with -mgeneral-regs-only).
#pragma once

#include <cstdint>

#include "bench/regstate.h"
#include "bench/state_check.h"
#include "bench/xstate_image.h"

namespace fpubench::testing {

enum class SaveWith { kFxsave, kXsave, kXsaveopt, kXsavec };

void load_then_read(const RegisterState& regs, const XstateImage& pattern, uint64_t mask, XstateImage& out);
// Loads `base` into `mask`, then `overlay` into `overlay_mask` only, then reads all of `mask`.
void load_overlay_then_read(const RegisterState& regs, const XstateImage& base, uint64_t mask,
                            const XstateImage& overlay, uint64_t overlay_mask, XstateImage& out);
// Loads `pattern`, then saves with the given instruction into `out` (RFBM = mask).
void load_then_save(const RegisterState& regs, const XstateImage& pattern, uint64_t mask, SaveWith how,
                    XstateImage& out);
// Puts `mask` into init state, then saves.
void init_then_save(const RegisterState& regs, uint64_t mask, SaveWith how, XstateImage& out);
// Restores `source` (XRSTOR, or FXRSTOR when fx), then reads the registers.
void restore_then_read(const RegisterState& regs, const XstateImage& source, uint64_t mask, bool fx,
                       XstateImage& out);
// Loads `pattern`, returns XGETBV(1) (XINUSE).
uint64_t load_then_xinuse(const RegisterState& regs, const XstateImage& pattern, uint64_t mask);

// Loads the check's expected state, overwrites `mask` with `corrupted`, and asks the check.
bool check_after_overwriting(StateCheck& check, const XstateImage& corrupted, uint64_t mask);

}  // namespace fpubench::testing
