// Built with -mgeneral-regs-only.
#include "bench/tests/regstate_probe.h"

#include "bench/xsave_insn.h"

namespace fpubench::testing {
namespace {

void save(SaveWith how, XstateImage& out, uint64_t mask) {
  switch (how) {
    case SaveWith::kFxsave: insn::fxsave(out.data()); break;
    case SaveWith::kXsave: insn::xsave(out.data(), mask); break;
    case SaveWith::kXsaveopt: insn::xsaveopt(out.data(), mask); break;
    case SaveWith::kXsavec: insn::xsavec(out.data(), mask); break;
  }
}

}  // namespace

void load_then_read(const RegisterState& regs, const XstateImage& pattern, uint64_t mask, XstateImage& out) {
  regs.load(pattern, mask);
  regs.read(out, mask);
  regs.init(mask);
}

void load_overlay_then_read(const RegisterState& regs, const XstateImage& base, uint64_t mask,
                            const XstateImage& overlay, uint64_t overlay_mask, XstateImage& out) {
  regs.load(base, mask);
  regs.load(overlay, overlay_mask);
  regs.read(out, mask);
  regs.init(mask);
}

void load_then_save(const RegisterState& regs, const XstateImage& pattern, uint64_t mask, SaveWith how,
                    XstateImage& out) {
  regs.load(pattern, mask);
  save(how, out, mask);
  regs.init(mask);
}

void init_then_save(const RegisterState& regs, uint64_t mask, SaveWith how, XstateImage& out) {
  regs.init(mask);
  save(how, out, mask);
}

void restore_then_read(const RegisterState& regs, const XstateImage& source, uint64_t mask, bool fx,
                       XstateImage& out) {
  if (fx)
    insn::fxrstor(source.data());
  else
    insn::xrstor(source.data(), mask);
  regs.read(out, mask);
  regs.init(mask);
}

uint64_t load_then_xinuse(const RegisterState& regs, const XstateImage& pattern, uint64_t mask) {
  regs.load(pattern, mask);
  uint64_t v = insn::xgetbv(1);
  regs.init(mask);
  return v;
}

bool check_after_overwriting(StateCheck& check, const XstateImage& corrupted, uint64_t mask) {
  check.load();
  if (mask) check.regs_load_for_test(corrupted, mask);
  bool match = check.registers_match();
  check.unload();
  return match;
}

}  // namespace fpubench::testing
