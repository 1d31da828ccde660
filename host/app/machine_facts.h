// What decides a machine's benchmark plan besides its CPUID and topology: whether the kernel grants
// AMX, whether /dev/kvm can be used and what its guests can do, and whether hardware events and
// tracepoints can be counted. Read live from this machine, or from a recorded machine profile: a
// folder with cpuid.txt, topology.xml and facts.txt (see bench/tests/testdata/machines/README.md).
#pragma once

#include <memory>
#include <string>

#include "bench/cpuid_source.h"
#include "bench/topology.h"
#include "bench/xstate.h"
#include "host/kvm/kvm_probe.h"

namespace fpubench {

struct MachineFacts {
  std::string amx_unavailable;                // "" when AMX can be used (or XCR0 lacks it: see plan)
  std::string kvm_unavailable;                // "" when /dev/kvm can be used
  GuestAbilities guest;                       // meaningful when kvm_unavailable is ""
  std::string hardware_counters_unavailable;  // "" when a CPU PMU exists
  std::string tracepoints_unavailable;        // "" when tracepoint ids can be read
};

// This machine. Requests AMX permission for the process and probes KVM guests (once each).
MachineFacts live_facts(const XstateLayout& layout);

// A recorded machine: the inputs of its plan. Throws std::runtime_error naming the file and line.
struct MachineProfile {
  std::string name;
  std::unique_ptr<RecordedCpuid> cpu;
  std::unique_ptr<Topology> topology;
  MachineFacts facts;
};
MachineProfile load_profile(const std::string& dir);

// facts.txt alone: "key: value" lines, '#' comments; "ok" (or "yes") means available, any other
// value is the reason it is not. "cpuid:" and "topology:" may name the profile's inputs by a path
// relative to its folder. Throws std::runtime_error naming the line.
MachineFacts parse_facts(const std::string& text);
// The facts.txt text parse_facts reads back.
std::string format_facts(const MachineFacts& facts);

// probe record-profile DIR: this machine's cpuid.txt, topology.xml and facts.txt, for the tests'
// profile corpus. Refuses to replace any file that exists.
void record_profile(const std::string& dir, const CpuidSource& cpu, const Topology& topology,
                    const MachineFacts& facts);

}  // namespace fpubench
