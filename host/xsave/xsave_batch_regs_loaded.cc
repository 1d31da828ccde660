// Built with -mgeneral-regs-only (see xsave_batch.h).
#include "host/xsave/xsave_batch.h"

#include "bench/tsc_clock.h"
#include "bench/xsave_insn.h"

namespace fpubench {
namespace {

// The format each restore reads is written by the matching save.
void save_for_format(XsaveOp op, void* buf, uint64_t rfbm) {
  switch (op) {
    case XsaveOp::kFxsave:
    case XsaveOp::kFxrstor: insn::fxsave(buf); break;
    case XsaveOp::kXsavec:
    case XsaveOp::kXrstorCompacted: insn::xsavec(buf, rfbm); break;
    default: insn::xsave(buf, rfbm); break;
  }
}

void restore(XsaveOp op, const void* buf, uint64_t rfbm) {
  if (op == XsaveOp::kFxsave || op == XsaveOp::kFxrstor)
    insn::fxrstor(buf);
  else
    insn::xrstor(buf, rfbm);
}

// `reps` repetitions of `body` between two TSC reads; %0 and %1 are the buffers, EDX:EAX the RFBM.
#define FPUBENCH_TIMED(reps, body)                          \
  do {                                                      \
    uint64_t t0 = tsc_begin();                              \
    __asm__ volatile(".rept " #reps "\n\t" body "\n\t.endr" \
                     :                                      \
                     : "r"(p), "r"(q), "a"(lo), "d"(hi)     \
                     : "memory");                           \
    return tsc_end() - t0;                                  \
  } while (0)

static_assert(kXsaveBatch == 32, "the repetition counts below");

uint64_t timed(XsaveOp op, bool alternate, void* p, void* q, uint64_t rfbm) {
  uint32_t lo = uint32_t(rfbm), hi = uint32_t(rfbm >> 32);
  switch (op) {
    case XsaveOp::kFxsave: FPUBENCH_TIMED(32, "fxsave64 (%0)");
    case XsaveOp::kXsave: FPUBENCH_TIMED(32, "xsave64 (%0)");
    case XsaveOp::kXsaveopt: FPUBENCH_TIMED(32, "xsaveopt64 (%0)");
    case XsaveOp::kXsavec: FPUBENCH_TIMED(32, "xsavec64 (%0)");
    case XsaveOp::kFxrstor:
      if (alternate) FPUBENCH_TIMED(16, "fxrstor64 (%0)\n\tfxrstor64 (%1)");
      FPUBENCH_TIMED(32, "fxrstor64 (%0)");
    case XsaveOp::kXrstor:
    case XsaveOp::kXrstorCompacted:
      if (alternate) FPUBENCH_TIMED(16, "xrstor64 (%0)\n\txrstor64 (%1)");
      FPUBENCH_TIMED(32, "xrstor64 (%0)");
  }
  return 0;
}

}  // namespace

bool is_restore(XsaveOp op) {
  return op == XsaveOp::kFxrstor || op == XsaveOp::kXrstor || op == XsaveOp::kXrstorCompacted;
}
bool is_compacted(XsaveOp op) { return op == XsaveOp::kXsavec || op == XsaveOp::kXrstorCompacted; }

void prepare_buffers(const XsaveBatch& b) {
  if (b.condition == StateCondition::kInit)
    b.regs->init(b.rfbm);
  else
    b.regs->load(*b.pattern, b.rfbm);
  save_for_format(b.op, b.buffer->data(), b.rfbm);
  if (b.other) {
    b.regs->load(*b.other_pattern, b.rfbm);
    save_for_format(b.op, b.other->data(), b.rfbm);
  }
  b.regs->init(b.rfbm);
}

uint64_t run_xsave_batch(const XsaveBatch& b) {
  void* p = b.buffer->data();
  void* q = b.other ? b.other->data() : p;
  bool alternate = is_restore(b.op) && b.condition == StateCondition::kModified;
  if (is_restore(b.op)) {
    // Registers start different from the buffer for kModified, equal to it otherwise.
    if (alternate)
      restore(b.op, q, b.rfbm);
    else
      restore(b.op, p, b.rfbm);
  } else if (b.condition == StateCondition::kInit) {
    b.regs->init(b.rfbm);
  } else {
    restore(b.op, p, b.rfbm);  // the buffer holds the pattern; this arms the modified tracking
    if (b.condition == StateCondition::kModified) b.regs->load(*b.other_pattern, b.rfbm);
  }
  uint64_t ticks = timed(b.op, alternate, p, q, b.rfbm);
  b.regs->init(b.rfbm);
  return ticks;
}

}  // namespace fpubench
