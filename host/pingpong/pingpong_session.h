// One ping-pong between the calling (measuring) thread and a partner thread: pinned as the
// placement says, each holding its own register pattern, checked after every wake-up. The
// session owns the channel and the partner; destruction stops and joins it.
#pragma once

#include <memory>
#include <string>
#include "bench/partner_thread.h"

#include "bench/placement.h"
#include "bench/state_check.h"
#include "bench/topology.h"
#include "host/pingpong/pingpong_loop.h"

namespace fpubench {

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

}  // namespace fpubench
