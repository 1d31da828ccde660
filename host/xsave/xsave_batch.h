// One timed batch of an XSAVE-family instruction, with the register state prepared for the
// condition being measured. Built with -mgeneral-regs-only: between preparing the state and the
// last timed instruction nothing may touch a vector register.
#pragma once

#include <cstdint>

#include "bench/regstate.h"
#include "bench/xstate_image.h"

namespace fpubench {

enum class XsaveOp { kFxsave, kFxrstor, kXsave, kXsaveopt, kXsavec, kXrstor, kXrstorCompacted };
enum class StateCondition {
  kInit,        // the components are in their init state (restores: the buffer says so)
  kModified,    // saves: written since the last XRSTOR from this buffer; restores: the buffer
                // differs from the registers (two buffers alternate)
  kUnmodified,  // saves: unchanged since XRSTOR from this very buffer (XSAVEOPT's modified
                // optimization may skip them); restores: registers already hold the buffer
};

constexpr unsigned kXsaveBatch = 32;

bool is_restore(XsaveOp op);
bool is_compacted(XsaveOp op);

struct XsaveBatch {
  XsaveOp op;
  StateCondition condition;
  uint64_t rfbm;
  const RegisterState* regs;
  XstateImage* buffer;               // save target, or restore source
  XstateImage* other;                // second restore source for kModified restores
  const XstateImage* pattern;        // non-init register contents
  const XstateImage* other_pattern;  // what "modified" writes over them
};

// Fills the buffers in the format the instruction uses. Call once before timing.
void prepare_buffers(const XsaveBatch& b);

// Prepares the condition, then times kXsaveBatch instructions. Returns raw TSC ticks (the
// begin/end overhead is the caller's to subtract). Leaves the components in init state.
uint64_t run_xsave_batch(const XsaveBatch& b);

}  // namespace fpubench
