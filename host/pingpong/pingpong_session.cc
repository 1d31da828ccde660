#include "host/pingpong/pingpong_session.h"

#include <sched.h>

#include <stdexcept>

namespace fpubench {
namespace {
constexpr uint64_t kPingSeed = 1, kPongSeed = 2;  // different patterns in the two threads
}

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
