// Built with -mgeneral-regs-only (see state_check.h).
#include "bench/state_check.h"

#include <stdexcept>

#include "bench/xsave_insn.h"

namespace fpubench {

StateCheck::StateCheck(const XstateLayout& layout, const RegisterState& regs, const XstateImage& expected,
                       uint64_t mask)
    : layout_(layout), regs_(regs), expected_(expected), found_(expected), mask_(mask & regs.controllable()) {
  for (unsigned id = 0; id < 64; ++id)
    if (mask_ & component_bit(id))
      for (const ByteRange& r : significant_bytes(layout, id)) ranges_.push_back(r);
}

void StateCheck::load() const {
  regs_.init(regs_.controllable());
  regs_.load(expected_, expected_.xstate_bv() & mask_);
}

bool StateCheck::registers_match() {
  // AMX tiles are read with XSAVE rather than TILESTORED: under some hypervisors TILESTORED of
  // eight tiles takes ~20 us (measured under nested KVM), XSAVE of the same state ~0.1 us, and a
  // check that slow would dominate the round trips it guards.
  regs_.read(found_, mask_ & ~kAmxComponents);
  if (mask_ & kAmxComponents) {
    insn::xsave(found_.data(), mask_ & kAmxComponents);
    uint64_t bv = found_.xstate_bv();
    for (unsigned id : {unsigned(kXtilecfg), unsigned(kXtiledata)}) {
      if (!(mask_ & component_bit(id)) || (bv & component_bit(id))) continue;
      const XstateComponent* c = layout_.find(id);  // in init state: all zeros
      for (uint32_t i = 0; i < c->size; ++i) found_.data()[c->offset + i] = 0;
    }
  }
  const uint8_t* e = expected_.data();
  const uint8_t* f = found_.data();
  for (const ByteRange& r : ranges_) {
    uint32_t i = r.offset, end = r.offset + r.length;
    for (; i + 8 <= end; i += 8)
      if (*reinterpret_cast<const uint64_t*>(e + i) != *reinterpret_cast<const uint64_t*>(f + i))
        return false;
    for (; i < end; ++i)
      if (e[i] != f[i]) return false;
  }
  return true;
}

Mismatch StateCheck::mismatch() const {
  auto m = compare_images(layout_, expected_, found_, mask_);
  if (!m) throw std::logic_error("StateCheck::mismatch() without a mismatch");
  return *m;
}

}  // namespace fpubench
