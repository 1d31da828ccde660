// Ping-pong and signal round trips with the FPU cost isolated: pingpong/<mechanism>/<placement>/
// <fpu-state> and signal/self/<fpu-state>. Every round trip is timed with the TSC; counters give
// mean and percentiles, the histogram sink the whole distribution. Here: the session that runs one
// ping-pong (the torture uses it too), then the rows; the timed bodies are in pingpong_loop.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/partner_thread.h"
#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/state_check.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/harness/timed_benchmark.h"
#include "host/pingpong/pingpong_loop.h"
#include "host/plan/suite_plan.h"

namespace fpubench {

// ---- The session
// One ping-pong between the calling (measuring) thread and a partner thread: pinned as the
// placement says, each holding its own register pattern, checked after every wake-up. The
// session owns the channel and the partner; destruction stops and joins it.

struct SessionSpec {
  Mechanism mechanism;
  Placement placement;
  uint64_t ping_mask = 0, pong_mask = 0;  // components holding a pattern (0: all init)
  uint64_t check_mask = 0;                // components compared after every wake-up
  int64_t inject_ticks = -1;              // see PingPongShared
  CorruptionHook hook;
  int64_t cost_inject_ticks = -1;  // see PingPongShared
};

class PingPongSession {
 public:
  // Throws std::runtime_error when the channel or the partner cannot be set up.
  PingPongSession(const XstateLayout& layout, const RegisterState& regs, const Topology& topology,
                  const SessionSpec& spec);
  ~PingPongSession();
  PingPongSession(const PingPongSession&) = delete;
  PingPongSession& operator=(const PingPongSession&) = delete;

  // `n` timed round trips; returns how many completed before a corruption (then see failure()).
  // `held` false: both threads with every component in init instead of the spec's state (the
  // partner switches on its next wake-up, so the first round trip after a change carries its load).
  unsigned round_trips(unsigned n, uint64_t* ticks, bool held = true);
  // Which thread's state changed, in which component and bytes, after how many round trips.
  std::string failure() const { return failure_; }
  uint64_t completed() const { return completed_; }
  pid_t partner_tid() const { return partner_->tid(); }

 private:
  const Topology& topology_;
  SessionSpec spec_;
  XstateImage ping_image_, pong_image_, init_image_;
  StateCheck ping_check_, pong_check_, ping_init_check_, pong_init_check_;
  std::unique_ptr<Channel> channel_;
  PingPongShared shared_;
  ScopedThreadBinding binding_;
  std::unique_ptr<PartnerThread> partner_;  // last but the results: stopped before the rest goes
  std::string failure_;
  uint64_t completed_ = 0;
};

// ---- The rows

// The FPU state each thread holds while it sleeps. `<state>` applies it to both threads,
// `<state>-pong` to the partner only (the measuring thread keeps all components in init state).
struct FpuStateVariant {
  std::string name;
  uint64_t ping_mask = 0, pong_mask = 0;
};

std::vector<FpuStateVariant> fpu_state_variants(const XstateLayout& layout,
                                                const std::string& amx_unavailable, SkipList& skipped);

struct PingPongVariant {
  Row row;  // its name: row_name(row)
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
