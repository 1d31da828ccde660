// Ping-pong and signal round trips with the FPU cost isolated: pingpong/<mechanism>/<placement>/
// <fpu-state> and signal/self/<fpu-state>. Every round trip is timed with the TSC; counters give
// mean and percentiles, the histogram sink the whole distribution.
#pragma once

#include <string>
#include <vector>

#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/harness/histogram_sink.h"
#include "host/harness/paired_blocks.h"
#include "host/harness/timed_benchmark.h"
#include "host/pingpong/pingpong_loop.h"
#include "host/plan/suite_plan.h"

namespace fpubench {

// The FPU state each thread holds while it sleeps. `<state>` applies it to both threads,
// `<state>-pong` to the partner only (the measuring thread keeps all components in init state).
struct FpuStateVariant {
  std::string name;
  uint64_t ping_mask = 0, pong_mask = 0;
};

std::vector<FpuStateVariant> fpu_state_variants(const XstateLayout& layout,
                                                const std::string& amx_unavailable, SkipList& skipped);

struct PingPongVariant {
  std::string name;
  Row row;
  Mechanism mechanism;
  Placement placement;
  FpuStateVariant state;
};

std::vector<PingPongVariant> plan_pingpong(const Placements& placements,
                                           const std::vector<FpuStateVariant>& states, SkipList& skipped);

// The components every check compares: all that fpubench controls, AMX tiles only when the
// variant uses them (reading configured tiles costs 8 KiB of stores), so that checking costs the
// same for every variant that is compared with another.
uint64_t check_mask_for(const RegisterState& regs, const FpuStateVariant& v);

void plan_pingpong_suite(const Machine& machine, SuitePlan& plan);

// The round-trip rows' fields: a family (pingpong/<mechanism>/<placement>, signal/self), its
// state variant, and the all-init sibling as the baseline. A variant with state is measured in
// time-paired blocks against its own init state (cost_figure "cost_p50_ns").
Row round_trip_row(const std::string& suite, const std::string& family, const std::string& mechanism,
                   const std::string& placement, const FpuStateVariant& state);

}  // namespace fpubench
