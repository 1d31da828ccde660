// The timed bodies of a ping-pong: the wake-up mechanisms (each channel hands the turn to the
// other thread), the two sides, and a signal round trip, with each thread's register pattern
// loaded the whole time and checked after every wake-up. Built with -mgeneral-regs-only: between
// loading a pattern and checking it, nothing here touches a vector register.
#pragma once

#include <sys/types.h>
#include <atomic>

#include <cstdint>
#include <memory>

#include "bench/state_check.h"

namespace fpubench {

enum class Mechanism { kFutex, kEventfd, kPipe, kUnixSocket, kSchedYield, kSpin };
enum class Side { kPing = 0, kPong = 1 };

class Channel {
 public:
  virtual ~Channel() = default;
  virtual void send(Side from) = 0;  // let the other side run
  virtual void wait(Side me) = 0;    // return once the other side has sent
};

// Throws std::runtime_error with the failing system call and errno.
std::unique_ptr<Channel> make_channel(Mechanism m);

// Test hook: makes the partner corrupt its own registers, to prove the check catches it.
struct CorruptionHook {
  uint64_t after_wakeups = 0;              // 0: never
  const XstateImage* corrupted = nullptr;  // loaded into the partner's registers at that point
  uint64_t mask = 0;
};

struct PingPongShared {
  Channel* channel = nullptr;
  int64_t inject_ticks = -1;  // busy-wait added by the partner to every round trip; <0: none
  // Busy-wait added by the partner only while its side holds the variant's state (the cost-only
  // delay of paired rows); a zero wait while in init, so both sides run the same code. <0: none.
  int64_t cost_inject_ticks = -1;
  // Which state the partner holds from its next wake-up on: the variant's (paired rows switch it
  // between blocks; the partner loads the new state before it answers).
  std::atomic<bool> pong_held{true};
  CorruptionHook hook;
  std::atomic<bool> stop{false};
  std::atomic<int>* partner_ready = nullptr;  // the partner's PartnerThread status: 1 once loaded
  std::atomic<bool> partner_corrupted{false};
  uint64_t partner_wakeups = 0;       // written by the partner only; read after it is joined
  uint64_t partner_corrupted_at = 0;  // the partner's wake-up that found the change
};

// The measuring side: `n` round trips, each timed with the TSC into `ticks`, the state checked
// after each (outside the timed interval). Returns how many completed before a corruption was
// seen on this side (n when none) or reported by the partner. Returns with all components in
// init state, as ordinary code expects.
unsigned ping_round_trips(PingPongShared& shared, StateCheck& mine, unsigned n, uint64_t* ticks);

// The partner: loads its state (`held` or `init`, as pong_held says), then answers until told to
// stop. Checks after every wake-up, after answering so that the check is outside the partner's
// reply path.
void pong_loop(PingPongShared& shared, StateCheck& held, StateCheck& init);

// Signal round trip: tgkill to this thread with a returning handler, `n` times, timed; returns
// how many completed before a state check failed. `inject_ticks` as spin_ticks() takes it, inside
// the timed interval.
unsigned signal_round_trips(StateCheck& mine, int signo, unsigned n, uint64_t* ticks,
                            int64_t inject_ticks = -1);
void install_returning_handler(int signo);

}  // namespace fpubench
