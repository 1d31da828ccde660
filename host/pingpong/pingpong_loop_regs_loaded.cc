// Built with -mgeneral-regs-only (see pingpong_loop.h).
#include "host/pingpong/pingpong_loop.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bench/tsc_clock.h"

namespace fpubench {

void spin_ticks(int64_t ticks) {
  if (ticks < 0) return;
  // No PAUSE in the loop: it takes ~50 ns on recent cores, which would be the granularity of
  // the delay.
  uint64_t end = tsc_begin() + uint64_t(ticks);
  while (tsc_begin() < end) {
  }
}

unsigned ping_round_trips(PingPongShared& s, StateCheck& mine, unsigned n, uint64_t* ticks) {
  mine.load();
  for (unsigned i = 0; i < n; ++i) {
    uint64_t t0 = tsc_begin();
    s.channel->send(Side::kPing);
    s.channel->wait(Side::kPing);
    ticks[i] = tsc_end() - t0;
    if (!mine.registers_match() || s.partner_corrupted.load(std::memory_order_relaxed)) {
      mine.unload();
      return i;
    }
  }
  mine.unload();
  return n;
}

void pong_loop(PingPongShared& s, StateCheck& held, StateCheck& init) {
  bool holding = s.pong_held.load(std::memory_order_acquire);
  StateCheck* mine = holding ? &held : &init;
  mine->load();
  s.partner_ready->store(1, std::memory_order_release);
  int64_t idle_inject = s.cost_inject_ticks < 0 ? -1 : 0;
  for (;;) {
    s.channel->wait(Side::kPong);
    if (s.stop.load(std::memory_order_acquire)) {
      mine->unload();
      return;
    }
    ++s.partner_wakeups;
    if (bool want = s.pong_held.load(std::memory_order_acquire); want != holding) {
      holding = want;
      mine = holding ? &held : &init;
      mine->load();  // inside this round trip: the first of a block, which is not kept
    }
    if (s.hook.after_wakeups && s.partner_wakeups == s.hook.after_wakeups)
      mine->regs_load_for_test(*s.hook.corrupted, s.hook.mask);
    spin_ticks(s.inject_ticks);
    spin_ticks(holding ? s.cost_inject_ticks : idle_inject);
    s.channel->send(Side::kPong);
    if (!s.partner_corrupted.load(std::memory_order_relaxed) && !mine->registers_match()) {
      s.partner_corrupted_at = s.partner_wakeups;
      s.partner_corrupted.store(true, std::memory_order_release);
    }
  }
}

namespace {
// Returning at once is the point: the kernel has saved the xstate into the signal frame on the
// way in and restores it from there on sigreturn.
void returning_handler(int) {}
}  // namespace

void install_returning_handler(int signo) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = returning_handler;
  sigemptyset(&sa.sa_mask);
  if (sigaction(signo, &sa, nullptr) != 0)
    throw std::runtime_error(std::string("sigaction failed: ") + std::strerror(errno));
}

unsigned signal_round_trips(StateCheck& mine, int signo, unsigned n, uint64_t* ticks, int64_t inject_ticks) {
  pid_t pid = getpid();
  pid_t tid = pid_t(syscall(SYS_gettid));
  mine.load();
  for (unsigned i = 0; i < n; ++i) {
    uint64_t t0 = tsc_begin();
    syscall(SYS_tgkill, pid, tid, signo);  // delivered on the way out of this system call
    spin_ticks(inject_ticks);
    ticks[i] = tsc_end() - t0;
    if (!mine.registers_match()) {
      mine.unload();
      return i;
    }
  }
  mine.unload();
  return n;
}

}  // namespace fpubench
