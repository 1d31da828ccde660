// fpubench probe ...: what fpubench sees of a machine, printed; nothing is measured.
#pragma once

#include <string>

#include "bench/cpuid_source.h"
#include "bench/topology.h"
#include "bench/xstate.h"

namespace fpubench {

// The xstate layout: XCR0, the XSAVE instructions, every component's size and offsets.
std::string describe_layout(const XstateLayout& x);
// "name first-PU second-PU" per named placement, then "name unavailable: why".
std::string describe_placements(const Topology& topology);
// What can be counted here: the PMUs and which of `counters` (events and sets) resolve.
std::string describe_counters(const std::string& counters);

}  // namespace fpubench
