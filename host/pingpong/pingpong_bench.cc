#include "host/pingpong/pingpong_bench.h"

#include <benchmark/benchmark.h>

#include <sched.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "bench/latency_histogram.h"
#include "host/harness/timed_benchmark.h"
#include "host/pingpong/pingpong_loop.h"

namespace fpubench {
namespace {

struct MechanismRow {
  const char* name;
  Mechanism mechanism;
  enum { kAny, kSamePuOnly, kCrossPuOnly } where;
  const char* why_not;
};

const MechanismRow kMechanisms[] = {
    {"futex", Mechanism::kFutex, MechanismRow::kAny, ""},
    {"eventfd", Mechanism::kEventfd, MechanismRow::kAny, ""},
    {"pipe", Mechanism::kPipe, MechanismRow::kAny, ""},
    {"unix", Mechanism::kUnixSocket, MechanismRow::kAny, ""},
    {"yield", Mechanism::kSchedYield, MechanismRow::kSamePuOnly,
     "sched_yield hands the CPU over only between threads on one PU"},
    {"spin", Mechanism::kSpin, MechanismRow::kCrossPuOnly,
     "two spinning threads on one PU hand over only when the scheduler preempts one"},
};

class PingPongBody : public TimedBody {
 public:
  PingPongBody(const Machine& s, const PingPongVariant& v, const Delays& d)
      : session_(s.layout, s.regs, s.topology,
                 SessionSpec{v.mechanism,
                             v.placement,
                             v.state.ping_mask,
                             v.state.pong_mask,
                             check_mask_for(s.regs, v.state),
                             inject_ticks(s.tsc, d.round_trip_ns),
                             {},
                             inject_ticks(s.tsc, d.held_side_ns)}),
        // On one PU each wake-up preempts the waker, and sched_yield counts as involuntary too:
        // there involuntary switches are the benchmark itself, not a disturbance.
        own_switches_(v.mechanism == Mechanism::kSchedYield || v.placement.first == v.placement.second) {}

  // Both threads: the partner is where half of the switches happen.
  std::vector<pid_t> threads() const override { return {current_tid(), session_.partner_tid()}; }
  bool preemptions_are_disturbances() const override { return !own_switches_; }
  bool step(Step& step) override { return round_trips(true, 1, &step.ticks); }
  bool round_trips(bool held, unsigned n, uint64_t* ticks) override {
    if (session_.round_trips(n, ticks, held) != n) {
      failure = {session_.failure(), true};
      return false;
    }
    return true;
  }

 private:
  PingPongSession session_;
  bool own_switches_;
};

class SignalBody : public TimedBody {
 public:
  SignalBody(const Machine& s, const FpuStateVariant& v, double cost_inject_ns)
      : image_(make_pattern(s.layout, v.ping_mask, 1)),
        init_image_(make_pattern(s.layout, 0, 1)),
        check_(s.layout, s.regs, image_, check_mask_for(s.regs, v)),
        init_check_(s.layout, s.regs, init_image_, check_mask_for(s.regs, v)),
        cost_inject_(inject_ticks(s.tsc, cost_inject_ns)),
        binding_(s.topology, s.topology.pu(0)) {
    static const bool installed = (install_returning_handler(SIGUSR1), true);
    (void)installed;
  }
  bool step(Step& step) override { return round_trips(true, 1, &step.ticks); }
  bool round_trips(bool held, unsigned n, uint64_t* ticks) override {
    StateCheck& check = held ? check_ : init_check_;
    int64_t inject = held || cost_inject_ < 0 ? cost_inject_ : 0;  // the same code on both sides
    unsigned done = signal_round_trips(check, SIGUSR1, n, ticks, inject);
    done_ += done;
    if (done != n) {
      failure = {"the signalled thread after signal delivery " + std::to_string(done_ + 1) + ": " +
                     check.mismatch().describe(),
                 true};
      return false;
    }
    return true;
  }

 private:
  XstateImage image_, init_image_;
  StateCheck check_, init_check_;
  int64_t cost_inject_;
  ScopedThreadBinding binding_;
  uint64_t done_ = 0;
};

}  // namespace

std::vector<FpuStateVariant> fpu_state_variants(const XstateLayout& l, const std::string& amx_unavailable,
                                                SkipList& skipped) {
  std::vector<FpuStateVariant> out{{"none", 0, 0}};
  auto both = [&](const char* name, uint64_t mask) {
    if (!l.enables(mask)) {
      skipped.push_back(
          {std::string("*/") + name, "XCR0 does not enable " + describe_components(mask & ~l.xcr0)});
      return false;
    }
    out.push_back({name, mask, mask});
    return true;
  };
  both("sse", kSseComponents);
  both("avx", kAvxComponents);
  bool avx512 = both("avx512", kAvx512Components);
  if (avx512) out.push_back({"avx512-pong", 0, kAvx512Components});
  uint64_t amx = (avx512 ? kAvx512Components : kAvxComponents) | kAmxComponents;
  if (!amx_unavailable.empty()) {
    skipped.push_back({"*/amx", amx_unavailable});
  } else if (both("amx", amx)) {
    out.push_back({"amx-pong", 0, amx});
  }
  return out;
}

std::vector<PingPongVariant> plan_pingpong(const Placements& placements,
                                           const std::vector<FpuStateVariant>& states, SkipList& skipped) {
  std::vector<PingPongVariant> plan;
  for (const UnavailablePlacement& u : placements.unavailable)
    skipped.push_back({"pingpong/*/" + u.name + "/*", u.why});
  for (const MechanismRow& m : kMechanisms) {
    for (const Placement& p : placements.available) {
      std::string prefix = std::string("pingpong/") + m.name + "/" + p.name;
      bool wrong_place = (m.where == MechanismRow::kSamePuOnly && !p.same_pu()) ||
                         (m.where == MechanismRow::kCrossPuOnly && p.same_pu());
      if (wrong_place) {
        skipped.push_back({prefix + "/*", m.why_not});
        continue;
      }
      for (const FpuStateVariant& s : states) {
        Row row = round_trip_row("pingpong", prefix, m.name, p.name, s);
        plan.push_back({row, m.mechanism, p, s});
      }
    }
  }
  return plan;
}

Row round_trip_row(const std::string& suite, const std::string& family, const std::string& mechanism,
                   const std::string& placement, const FpuStateVariant& state) {
  std::string set = state.name.substr(0, state.name.find("-pong"));
  return Row{.suite = suite,
             .family = family,
             .variant = state.name,
             .mechanism = mechanism,
             .placement = placement,
             .state = state.ping_mask ? set : "none",
             .partner_state = suite == "signal" ? "" : (state.pong_mask ? set : "none"),
             .baseline = state.name == "none" ? "" : family + "/none",
             .cost_figure = state.name == "none" ? "" : "cost_p50_ns",
             .figure = "rtt_p50_ns",
             .unit = "ns",
             .role = mechanism == "spin" ? "kernel-free" : "kernel",  // spinning makes no system call
             .better = "lower"};
}

uint64_t check_mask_for(const RegisterState& regs, const FpuStateVariant& v) {
  uint64_t mask = regs.controllable();
  if (!((v.ping_mask | v.pong_mask) & kAmxComponents)) mask &= ~kAmxComponents;
  return mask;
}

void plan_pingpong_suite(const Machine& s, SuitePlan& plan) {
  std::vector<FpuStateVariant> states = fpu_state_variants(s.layout, s.amx_unavailable, plan.skipped);
  for (const Placement& p : s.placements.available)
    plan.context.emplace_back("placement." + p.name,
                              s.topology.location_of(p.first) + "," + s.topology.location_of(p.second));
  plan.context.emplace_back("paired.block", std::to_string(s.paired.block));
  plan.context.emplace_back("paired.discard", std::to_string(s.paired.discard));
  HarnessContext harness{&s.tsc, s.histograms, s.paired};
  for (const PingPongVariant& v : plan_pingpong(s.placements, states, plan.skipped)) {
    Figure figure = round_trip_figure(!v.row.cost_figure.empty());
    plan.add(
        v.row,
        [&s, v, harness, figure](benchmark::State& st, const PlannedBenchmark& b) {
          run_timed(st, harness, "pingpong", b.name, figure,
                    [&] { return std::make_unique<PingPongBody>(s, v, b.delays); });
        },
        Delayable::kRoundTrip);
  }
  for (const FpuStateVariant& v : states) {
    if (v.ping_mask != v.pong_mask) continue;     // one thread: "-pong" variants do not apply
    FpuStateVariant own{v.name, v.ping_mask, 0};  // no partner: the signalled thread alone
    Row row = round_trip_row("signal", "signal/self", "signal", "", own);
    Figure figure = round_trip_figure(!row.cost_figure.empty());
    plan.add(
        row,
        [&s, v, harness, figure](benchmark::State& st, const PlannedBenchmark& b) {
          run_timed(st, harness, "signal", b.name, figure,
                    [&] { return std::make_unique<SignalBody>(s, v, b.delays.held_side_ns); });
        },
        Delayable::kHeldSide);
  }
}

// ---- The session

namespace {
constexpr uint64_t kPingSeed = 1, kPongSeed = 2;  // different patterns in the two threads
}  // namespace

PingPongSession::PingPongSession(const XstateLayout& layout, const RegisterState& regs,
                                 const Topology& topology, const SessionSpec& spec)
    : topology_(topology),
      spec_(spec),
      ping_image_(make_pattern(layout, spec.ping_mask, kPingSeed)),
      pong_image_(make_pattern(layout, spec.pong_mask, kPongSeed)),
      init_image_(make_pattern(layout, 0, kPingSeed)),
      ping_check_(layout, regs, ping_image_, spec.check_mask),
      pong_check_(layout, regs, pong_image_, spec.check_mask),
      // The init side checks the same components, so that checking costs both sides the same.
      ping_init_check_(layout, regs, init_image_, spec.check_mask),
      pong_init_check_(layout, regs, init_image_, spec.check_mask),
      channel_(make_channel(spec.mechanism)),
      binding_(topology, spec.placement.first) {
  shared_.channel = channel_.get();
  shared_.inject_ticks = spec.inject_ticks;
  shared_.cost_inject_ticks = spec.cost_inject_ticks;
  shared_.hook = spec.hook;
  partner_ = std::make_unique<PartnerThread>(
      [this](PartnerThread& me) {
        shared_.partner_ready = &me.status();
        topology_.bind_thread(spec_.placement.second);
        pong_loop(shared_, pong_check_, pong_init_check_);  // marks itself ready once its state is loaded
      },
      [this] {
        shared_.stop.store(true, std::memory_order_release);
        channel_->send(Side::kPing);
      });
  if (!partner_->wait_ready()) {
    partner_->finish();
    throw std::runtime_error("the partner thread could not start: " + partner_->error());
  }
}

PingPongSession::~PingPongSession() { partner_.reset(); }

unsigned PingPongSession::round_trips(unsigned n, uint64_t* ticks, bool held) {
  shared_.pong_held.store(held, std::memory_order_release);
  StateCheck& mine = held ? ping_check_ : ping_init_check_;
  unsigned done = ping_round_trips(shared_, mine, n, ticks);
  completed_ += done;
  if (done < n && failure_.empty()) {
    // The partner stops re-reading its registers once it has flagged a difference, so its
    // snapshot is stable here.
    bool partner = shared_.partner_corrupted.load(std::memory_order_acquire);
    // Each side names the round trip it saw the change in: its own count, race-free.
    uint64_t round = partner ? shared_.partner_corrupted_at : completed_ + 1;
    bool partner_held = shared_.pong_held.load(std::memory_order_acquire);
    Mismatch m = partner ? (partner_held ? pong_check_ : pong_init_check_).mismatch() : mine.mismatch();
    failure_ = std::string(partner ? "partner" : "measuring") + " thread's FPU state changed in round trip " +
               std::to_string(round) + ": " + m.describe();
  }
  return done;
}

}  // namespace fpubench
