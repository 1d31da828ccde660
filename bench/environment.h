// What a result file must say about the machine and kernel it came from, so that two runs can be
// compared honestly: kernel, CPU and microcode, hypervisor, xstate, TSC, mitigations, frequency
// policy, SMT and topology. Reads /proc and /sys under an injected root so tests can feed a tree.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bench/cpuid_source.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"

namespace fpubench {

using Context = std::vector<std::pair<std::string, std::string>>;

struct EnvironmentSources {
  std::string root = "/";  // where proc/ and sys/ are found
  const CpuidSource* cpu = nullptr;
  const XstateLayout* xstate = nullptr;
  const TscInfo* tsc = nullptr;        // optional
  const Topology* topology = nullptr;  // optional
};

// Keys are stable names (see results/README.md); an unreadable item reads "unavailable".
Context collect_environment(const EnvironmentSources& sources);

}  // namespace fpubench
