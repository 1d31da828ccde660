// The only file that knows CPUID leaf and bit numbers.
#include "bench/cpuid_source.h"

#include <cpuid.h>

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "bench/text_file.h"

namespace fpubench {
namespace {

constexpr uint32_t kBasicBase = 0x0, kHypervisorBase = 0x40000000, kExtendedBase = 0x80000000;
constexpr uint32_t kLeafFeatures = 0x1, kLeafExtFeatures = 0x7, kLeafXstate = 0xd;
constexpr uint32_t kLeafTsc = 0x15, kLeafFrequency = 0x16;
constexpr uint32_t kLeafBrand = 0x80000002;

enum Reg { kEax, kEbx, kEcx, kEdx };

struct FeatureBit {
  CpuFeature feature;
  const char* name;
  uint32_t leaf, subleaf;
  Reg reg;
  unsigned bit;
};

constexpr FeatureBit kFeatureBits[] = {
    {CpuFeature::kTsc, "TSC", 0x1, 0, kEdx, 4},
    {CpuFeature::kFxsr, "FXSR", 0x1, 0, kEdx, 24},
    {CpuFeature::kSse, "SSE", 0x1, 0, kEdx, 25},
    {CpuFeature::kSse2, "SSE2", 0x1, 0, kEdx, 26},
    {CpuFeature::kXsave, "XSAVE", 0x1, 0, kEcx, 26},
    {CpuFeature::kOsxsave, "OSXSAVE", 0x1, 0, kEcx, 27},
    {CpuFeature::kAvx, "AVX", 0x1, 0, kEcx, 28},
    {CpuFeature::kHypervisor, "HYPERVISOR", 0x1, 0, kEcx, 31},
    {CpuFeature::kAvx2, "AVX2", 0x7, 0, kEbx, 5},
    {CpuFeature::kAvx512F, "AVX512F", 0x7, 0, kEbx, 16},
    {CpuFeature::kAvx512Dq, "AVX512DQ", 0x7, 0, kEbx, 17},
    {CpuFeature::kAvx512Bw, "AVX512BW", 0x7, 0, kEbx, 30},
    {CpuFeature::kAvx512Vl, "AVX512VL", 0x7, 0, kEbx, 31},
    {CpuFeature::kPku, "PKU", 0x7, 0, kEcx, 3},
    {CpuFeature::kOspke, "OSPKE", 0x7, 0, kEcx, 4},
    {CpuFeature::kAmxBf16, "AMX-BF16", 0x7, 0, kEdx, 22},
    {CpuFeature::kAmxTile, "AMX-TILE", 0x7, 0, kEdx, 24},
    {CpuFeature::kAmxInt8, "AMX-INT8", 0x7, 0, kEdx, 25},
    {CpuFeature::kXsaveopt, "XSAVEOPT", 0xd, 1, kEax, 0},
    {CpuFeature::kXsavec, "XSAVEC", 0xd, 1, kEax, 1},
    {CpuFeature::kXgetbv1, "XGETBV1", 0xd, 1, kEax, 2},
    {CpuFeature::kXsaves, "XSAVES", 0xd, 1, kEax, 3},
    {CpuFeature::kXfd, "XFD", 0xd, 1, kEax, 4},
    {CpuFeature::kRdtscp, "RDTSCP", 0x80000001, 0, kEdx, 27},
    {CpuFeature::kInvariantTsc, "INVARIANT_TSC", 0x80000007, 0, kEdx, 8},
};

const FeatureBit& feature_bit(CpuFeature f) {
  for (const auto& fb : kFeatureBits)
    if (fb.feature == f) return fb;
  throw std::logic_error("CpuFeature without a table row");
}

uint32_t reg_of(const CpuidRegs& r, Reg reg) {
  switch (reg) {
    case kEax: return r.eax;
    case kEbx: return r.ebx;
    case kEcx: return r.ecx;
    case kEdx: return r.edx;
  }
  return 0;
}

std::string regs_string(const CpuidRegs& r) {
  std::string s(reinterpret_cast<const char*>(&r.ebx), 4);
  s.append(reinterpret_cast<const char*>(&r.ecx), 4);
  s.append(reinterpret_cast<const char*>(&r.edx), 4);
  return s;
}

// Which leaves a dump needs: everything fpubench reads, so a dump replays the whole enumeration.
template <typename Fn>
void for_each_recorded_leaf(const CpuidSource& cpu, Fn&& fn) {
  uint32_t max_basic = cpu.query(kBasicBase).eax;
  for (uint32_t leaf = 0; leaf <= max_basic && leaf <= 0x20; ++leaf) {
    unsigned subleaves = 1;
    if (leaf == kLeafExtFeatures) subleaves = cpu.query(leaf, 0).eax + 1;
    if (leaf == kLeafXstate) subleaves = 64;
    for (uint32_t sub = 0; sub < subleaves && sub < 64; ++sub) {
      CpuidRegs r = cpu.query(leaf, sub);
      if (sub > 0 && r == CpuidRegs{}) continue;
      fn(leaf, sub, r);
    }
  }
  if (cpu_has(cpu, CpuFeature::kHypervisor)) fn(kHypervisorBase, 0, cpu.query(kHypervisorBase));
  uint32_t max_ext = cpu.query(kExtendedBase).eax;
  for (uint32_t leaf = kExtendedBase; leaf <= max_ext && leaf <= kExtendedBase + 0x8; ++leaf)
    fn(leaf, 0, cpu.query(leaf));
}

}  // namespace

CpuidRegs HardwareCpuid::query(uint32_t leaf, uint32_t subleaf) const {
  CpuidRegs r;
  uint32_t base = leaf & 0xffff0000u;
  __cpuid_count(base, 0, r.eax, r.ebx, r.ecx, r.edx);
  uint32_t max = r.eax;
  if (base == kHypervisorBase) {
    CpuidRegs f;
    __cpuid_count(kLeafFeatures, 0, f.eax, f.ebx, f.ecx, f.edx);
    if (!(f.ecx & (1u << 31))) return {};
  }
  if (leaf > max) return {};
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

std::optional<uint64_t> HardwareCpuid::xgetbv(uint32_t index) const {
  if (!cpu_has(*this, CpuFeature::kOsxsave)) return std::nullopt;
  if (index == 1 && !cpu_has(*this, CpuFeature::kXgetbv1)) return std::nullopt;
  if (index > 1) return std::nullopt;
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
  return (uint64_t{hi} << 32) | lo;
}

RecordedCpuid RecordedCpuid::parse(std::string_view text) {
  RecordedCpuid out;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    unsigned leaf, sub;
    CpuidRegs r;
    unsigned long long value;
    int used = 0;
    if (std::sscanf(line.c_str(), " 0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x %n", &leaf, &sub, &r.eax,
                    &r.ebx, &r.ecx, &r.edx, &used) == 6 &&
        line.find_first_not_of(" \t\r", used) == std::string::npos) {
      out.leaves_[{leaf, sub}] = r;
    } else if (std::sscanf(line.c_str(), " xgetbv 0x%x: 0x%llx %n", &leaf, &value, &used) == 2 &&
               line.find_first_not_of(" \t\r", used) == std::string::npos) {
      out.xcr_[leaf] = value;
    } else {
      throw std::runtime_error(
          "CPUID dump line " + std::to_string(lineno) +
          " is not '0xLEAF 0xSUB: eax=0x.. ebx=0x.. ecx=0x.. edx=0x..' nor 'xgetbv 0xN: 0xVALUE': '" + line +
          "'");
    }
  }
  if (!out.leaves_.count({0, 0}))
    throw std::runtime_error("CPUID dump has no leaf 0x0 line: it cannot say which leaves exist");
  return out;
}

RecordedCpuid RecordedCpuid::load(const std::string& path) {
  std::optional<std::string> text = read_whole_file(path);
  if (!text) throw std::runtime_error("cannot open CPUID dump '" + path + "'");
  try {
    return parse(*text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

CpuidRegs RecordedCpuid::query(uint32_t leaf, uint32_t subleaf) const {
  auto it = leaves_.find({leaf, subleaf});
  return it == leaves_.end() ? CpuidRegs{} : it->second;
}

std::optional<uint64_t> RecordedCpuid::xgetbv(uint32_t index) const {
  auto it = xcr_.find(index);
  if (it == xcr_.end()) return std::nullopt;
  return it->second;
}

std::string dump_cpuid(const CpuidSource& cpu) {
  std::string out = "# fpubench CPUID dump: cpuid -r style leaves, then XGETBV values\n";
  char line[128];
  for_each_recorded_leaf(cpu, [&](uint32_t leaf, uint32_t sub, const CpuidRegs& r) {
    std::snprintf(line, sizeof line, "0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", leaf,
                  sub, r.eax, r.ebx, r.ecx, r.edx);
    out += line;
  });
  for (uint32_t index : {0u, 1u}) {
    if (auto v = cpu.xgetbv(index)) {
      std::snprintf(line, sizeof line, "xgetbv 0x%x: 0x%016llx\n", index,
                    static_cast<unsigned long long>(*v));
      out += line;
    }
  }
  return out;
}

bool cpu_has(const CpuidSource& cpu, CpuFeature feature) {
  const FeatureBit& fb = feature_bit(feature);
  uint32_t base = fb.leaf & 0xffff0000u;
  if (fb.leaf > cpu.query(base).eax) return false;
  return (reg_of(cpu.query(fb.leaf, fb.subleaf), fb.reg) >> fb.bit) & 1;
}

const char* feature_name(CpuFeature feature) { return feature_bit(feature).name; }

bool holds_feature(uint32_t leaf, uint32_t subleaf, CpuFeature feature) {
  const FeatureBit& fb = feature_bit(feature);
  return fb.leaf == leaf && fb.subleaf == subleaf;
}

void set_feature(CpuidRegs& r, CpuFeature feature, bool on) {
  const FeatureBit& fb = feature_bit(feature);
  uint32_t* reg = fb.reg == kEax ? &r.eax : fb.reg == kEbx ? &r.ebx : fb.reg == kEcx ? &r.ecx : &r.edx;
  *reg = on ? (*reg | (1u << fb.bit)) : (*reg & ~(1u << fb.bit));
}

void set_initial_apic_id(CpuidRegs& leaf1, uint8_t apic_id) {
  leaf1.ebx = (leaf1.ebx & 0x00ffffffu) | (uint32_t{apic_id} << 24);
}

CpuIdentity identify_cpu(const CpuidSource& cpu) {
  CpuIdentity id;
  // The vendor string is EBX, EDX, ECX in that order.
  CpuidRegs v = cpu.query(kBasicBase);
  id.vendor = std::string(reinterpret_cast<const char*>(&v.ebx), 4) +
              std::string(reinterpret_cast<const char*>(&v.edx), 4) +
              std::string(reinterpret_cast<const char*>(&v.ecx), 4);
  uint32_t sig = cpu.query(kLeafFeatures).eax;
  unsigned base_family = (sig >> 8) & 0xf, base_model = (sig >> 4) & 0xf;
  id.stepping = sig & 0xf;
  id.family = base_family == 0xf ? base_family + ((sig >> 20) & 0xff) : base_family;
  id.model =
      (base_family == 0x6 || base_family == 0xf) ? base_model + (((sig >> 16) & 0xf) << 4) : base_model;
  if (cpu.query(kExtendedBase).eax >= kLeafBrand + 2) {
    std::string brand;
    for (uint32_t leaf = kLeafBrand; leaf < kLeafBrand + 3; ++leaf) {
      CpuidRegs r = cpu.query(leaf);
      for (uint32_t w : {r.eax, r.ebx, r.ecx, r.edx}) brand.append(reinterpret_cast<const char*>(&w), 4);
    }
    brand.resize(brand.find('\0') == std::string::npos ? brand.size() : brand.find('\0'));
    auto first = brand.find_first_not_of(' ');
    auto last = brand.find_last_not_of(' ');
    id.brand = first == std::string::npos ? "" : brand.substr(first, last - first + 1);
  }
  if (cpu_has(cpu, CpuFeature::kHypervisor)) {
    std::string sig = regs_string(cpu.query(kHypervisorBase));
    sig.resize(sig.find('\0') == std::string::npos ? sig.size() : sig.find('\0'));
    id.hypervisor = sig.empty() ? "unknown" : sig;
  }
  return id;
}

std::optional<double> cpuid_tsc_hz(const CpuidSource& cpu) {
  if (cpu.query(kBasicBase).eax < kLeafTsc) return std::nullopt;
  CpuidRegs r = cpu.query(kLeafTsc);
  // EAX/EBX is the TSC/crystal ratio and ECX the crystal in Hz; ECX 0 means "not enumerated".
  if (r.eax == 0 || r.ebx == 0 || r.ecx == 0) return std::nullopt;
  return double(r.ecx) * r.ebx / r.eax;
}

std::optional<unsigned> cpuid_base_mhz(const CpuidSource& cpu) {
  if (cpu.query(kBasicBase).eax < kLeafFrequency) return std::nullopt;
  unsigned mhz = cpu.query(kLeafFrequency).eax & 0xffff;
  if (mhz == 0) return std::nullopt;
  return mhz;
}

XstateLeaf xstate_leaf(const CpuidSource& cpu) {
  XstateLeaf x;
  if (!cpu_has(cpu, CpuFeature::kXsave)) return x;
  CpuidRegs s0 = cpu.query(kLeafXstate, 0), s1 = cpu.query(kLeafXstate, 1);
  x.supported_xcr0 = (uint64_t{s0.edx} << 32) | s0.eax;
  x.xcr0_size = s0.ebx;
  x.max_size = s0.ecx;
  x.supported_xss = (uint64_t{s1.edx} << 32) | s1.ecx;
  x.compacted_size = s1.ebx;
  return x;
}

XstateComponentLeaf xstate_component_leaf(const CpuidSource& cpu, unsigned component) {
  CpuidRegs r = cpu.query(kLeafXstate, component);
  return {r.eax, r.ebx, bool(r.ecx & 1), bool(r.ecx & 2), bool(r.ecx & 4)};
}

}  // namespace fpubench
