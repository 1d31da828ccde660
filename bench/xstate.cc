#include "bench/xstate.h"

#include <stdexcept>

namespace fpubench {
namespace {

// x87 and SSE are not described by CPUID: their place in the legacy region is architectural.
// (MXCSR at bytes 24..31 belongs to SSE; the x87 registers end at byte 160.)
constexpr XstateComponent kX87Legacy{kX87, 160, 0, false, false, false};
constexpr XstateComponent kSseLegacy{kSseState, 256, 160, false, false, false};

constexpr const char* kNames[] = {
    "x87",   "SSE",   "AVX",   "BNDREGS", "BNDCSR", "opmask", "ZMM_Hi256", "Hi16_ZMM", "PT",        "PKRU",
    "PASID", "CET_U", "CET_S", "HDC",     "UINTR",  "LBR",    "HWP",       "XTILECFG", "XTILEDATA", "APX",
};

uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

}  // namespace

std::string component_name(unsigned id) {
  if (id < std::size(kNames)) return kNames[id];
  return "component" + std::to_string(id);
}

std::string describe_components(uint64_t mask) {
  std::string out;
  for (unsigned i = 0; i < 64; ++i) {
    if (!(mask & component_bit(i))) continue;
    if (!out.empty()) out += '|';
    out += component_name(i);
  }
  return out.empty() ? "none" : out;
}

const XstateComponent* XstateLayout::find(unsigned id) const {
  for (const auto& c : components)
    if (c.id == id) return &c;
  return nullptr;
}

uint32_t XstateLayout::standard_size(uint64_t mask) const {
  uint32_t size = kExtendedRegionOffset;
  for (const auto& c : components)
    if (!c.supervisor && (mask & component_bit(c.id)) && c.id >= 2) size = std::max(size, c.offset + c.size);
  return size;
}

uint32_t XstateLayout::compacted_offset(unsigned id, uint64_t xcomp_bv) const {
  if (id < 2) return id == kX87 ? kX87Legacy.offset : kSseLegacy.offset;
  uint32_t offset = kExtendedRegionOffset;
  // Components are packed in ascending order; each present one follows the previous, rounded up
  // to 64 bytes where CPUID says so (SDM 13.4.3).
  for (unsigned i = 2; i < 63; ++i) {
    if (!(xcomp_bv & component_bit(i))) continue;
    const XstateComponent* c = find(i);
    if (!c)
      throw std::runtime_error("XCOMP_BV names " + component_name(i) + ", which this CPU does not describe");
    if (c->align64) offset = align_up(offset, 64);
    if (i == id) return offset;
    offset += c->size;
  }
  throw std::runtime_error(component_name(id) + " is not in XCOMP_BV");
}

uint32_t XstateLayout::compacted_size(uint64_t xcomp_bv) const {
  uint32_t size = kExtendedRegionOffset;
  for (unsigned i = 2; i < 63; ++i)
    if (xcomp_bv & component_bit(i)) size = compacted_offset(i, xcomp_bv) + find(i)->size;
  return size;
}

XstateLayout enumerate_xstate(const CpuidSource& cpu) {
  XstateLayout x;
  auto xcr0 = cpu.xgetbv(0);
  if (!cpu_has(cpu, CpuFeature::kXsave) || !cpu_has(cpu, CpuFeature::kOsxsave) || !xcr0) return x;
  x.xsave = true;
  x.xsaveopt = cpu_has(cpu, CpuFeature::kXsaveopt);
  x.xsavec = cpu_has(cpu, CpuFeature::kXsavec);
  x.xsaves = cpu_has(cpu, CpuFeature::kXsaves);
  x.xgetbv1 = cpu_has(cpu, CpuFeature::kXgetbv1);
  x.xfd = cpu_has(cpu, CpuFeature::kXfd);
  XstateLeaf leaf = xstate_leaf(cpu);
  x.xcr0 = *xcr0;
  x.supported_xcr0 = leaf.supported_xcr0;
  x.supported_xss = x.xsaves ? leaf.supported_xss : 0;
  x.cpuid_standard_size = leaf.xcr0_size;
  x.cpuid_compacted_size = leaf.compacted_size;

  if (x.xcr0 & component_bit(kX87)) x.components.push_back(kX87Legacy);
  if (x.xcr0 & component_bit(kSseState)) x.components.push_back(kSseLegacy);
  auto add = [&](unsigned id, bool want_supervisor) {
    XstateComponentLeaf c = xstate_component_leaf(cpu, id);
    if (c.size == 0)
      throw std::runtime_error("CPUID leaf 0xD enables " + component_name(id) +
                               " but gives it size 0: the CPUID data is inconsistent");
    if (c.supervisor != want_supervisor)
      throw std::runtime_error("CPUID leaf 0xD marks " + component_name(id) +
                               (c.supervisor ? " supervisor" : " user") + " but it is enabled through " +
                               (want_supervisor ? "IA32_XSS" : "XCR0"));
    x.components.push_back({id, c.size, c.offset, c.supervisor, c.align64, c.xfd});
  };
  for (unsigned id = 2; id < 63; ++id)
    if (x.xcr0 & component_bit(id)) add(id, false);
  for (unsigned id = 2; id < 63; ++id)
    if (x.supported_xss & component_bit(id)) add(id, true);
  return x;
}

KernelXsaveInsns kernel_xsave_insns(const XstateLayout& l) {
  if (!l.xsave) return {"none", "none"};
  if (l.xsaves) return {"XSAVES", "XRSTORS"};
  if (l.xsavec) return {"XSAVEC", "XRSTOR-compacted"};
  return {l.xsaveopt ? "XSAVEOPT" : "XSAVE", "XRSTOR"};
}

}  // namespace fpubench
