// CPUID and XGETBV behind one interface, so that everything that enumerates the CPU can be fed a
// recorded dump instead of the machine it runs on. Raw leaf and bit numbers appear only in
// cpuid_source.cc; callers speak in CpuFeature names.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fpubench {

struct CpuidRegs {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
  bool operator==(const CpuidRegs&) const = default;
};

class CpuidSource {
 public:
  virtual ~CpuidSource() = default;
  // Leaves above the maximum the CPU reports read as zero (real Intel parts would repeat the
  // highest leaf instead, which would make absent features look present).
  virtual CpuidRegs query(uint32_t leaf, uint32_t subleaf = 0) const = 0;
  // XGETBV(index), or nullopt when the OS has not enabled XSAVE (or, for index 1, the CPU lacks
  // XGETBV1).
  virtual std::optional<uint64_t> xgetbv(uint32_t index) const = 0;
};

// Executes CPUID/XGETBV on the CPU this thread runs on.
class HardwareCpuid final : public CpuidSource {
 public:
  CpuidRegs query(uint32_t leaf, uint32_t subleaf = 0) const override;
  std::optional<uint64_t> xgetbv(uint32_t index) const override;
};

// A dump in `cpuid -r` style, one leaf per line, plus `xgetbv 0xN: 0xVALUE` lines:
//   0x0000000d 0x01: eax=0x0000001f ebx=0x000029c0 ecx=0x00000000 edx=0x00000000
//   xgetbv 0x0: 0x00000000000600e7
// '#' starts a comment. Parse errors throw std::runtime_error naming the line.
class RecordedCpuid final : public CpuidSource {
 public:
  static RecordedCpuid parse(std::string_view text);
  static RecordedCpuid load(const std::string& path);

  CpuidRegs query(uint32_t leaf, uint32_t subleaf = 0) const override;
  std::optional<uint64_t> xgetbv(uint32_t index) const override;

 private:
  std::map<std::pair<uint32_t, uint32_t>, CpuidRegs> leaves_;
  std::map<uint32_t, uint64_t> xcr_;
};

// Writes the leaves fpubench reads, in the format RecordedCpuid parses.
std::string dump_cpuid(const CpuidSource& cpu);

enum class CpuFeature {
  kTsc,
  kFxsr,
  kSse,
  kSse2,
  kXsave,
  kOsxsave,
  kAvx,
  kHypervisor,
  kAvx2,
  kAvx512F,
  kAvx512Dq,
  kAvx512Bw,
  kAvx512Vl,
  kPku,
  kOspke,
  kAmxBf16,
  kAmxTile,
  kAmxInt8,
  kXsaveopt,
  kXsavec,
  kXgetbv1,
  kXsaves,
  kXfd,
  kRdtscp,
  kInvariantTsc,
};

bool cpu_has(const CpuidSource& cpu, CpuFeature feature);
const char* feature_name(CpuFeature feature);

// For a VMM writing a guest's CPUID: whether (leaf, subleaf) holds `feature`, and setting it.
bool holds_feature(uint32_t leaf, uint32_t subleaf, CpuFeature feature);
void set_feature(CpuidRegs& regs, CpuFeature feature, bool on);  // regs of the leaf that holds it
// Leaf 1's initial APIC id (EBX[31:24]), which a VMM sets per vCPU.
void set_initial_apic_id(CpuidRegs& leaf1, uint8_t apic_id);
constexpr uint32_t kCpuidLeafFeatures = 0x1;

struct CpuIdentity {
  std::string vendor;                            // "GenuineIntel", "AuthenticAMD", ...
  std::string brand;                             // processor brand string, trimmed
  unsigned family = 0, model = 0, stepping = 0;  // display family/model, as Linux prints them
  std::string hypervisor;                        // hypervisor vendor signature, empty on bare metal
};
CpuIdentity identify_cpu(const CpuidSource& cpu);

// TSC frequency as CPUID states it: leaf 0x15 (crystal ratio), or nullopt when not enumerated.
std::optional<double> cpuid_tsc_hz(const CpuidSource& cpu);
// Processor base frequency from leaf 0x16, in MHz (a cross-check, not the TSC rate).
std::optional<unsigned> cpuid_base_mhz(const CpuidSource& cpu);

// XSAVE leaf 0xD, sub-leaf `component`, decoded (see xstate.h for the layout built from it).
struct XstateLeaf {
  uint64_t supported_xcr0 = 0;  // sub-leaf 0 EDX:EAX
  uint64_t supported_xss = 0;   // sub-leaf 1 EDX:ECX
  uint32_t xcr0_size = 0;       // sub-leaf 0 EBX: standard size for the current XCR0
  uint32_t max_size = 0;        // sub-leaf 0 ECX: standard size for every supported component
  uint32_t compacted_size = 0;  // sub-leaf 1 EBX: compacted size for XCR0 | IA32_XSS
};
XstateLeaf xstate_leaf(const CpuidSource& cpu);

struct XstateComponentLeaf {
  uint32_t size = 0;
  uint32_t offset = 0;      // standard-format offset; 0 for supervisor components
  bool supervisor = false;  // managed through IA32_XSS
  bool align64 = false;     // 64-byte aligned in the compacted format
  bool xfd = false;         // can be armed for first-use faults (XFD)
};
XstateComponentLeaf xstate_component_leaf(const CpuidSource& cpu, unsigned component);

}  // namespace fpubench
