// Built with -mgeneral-regs-only (see pingpong_loop.h).
#include "host/pingpong/pingpong_loop.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bench/errno_error.h"
#include "bench/tsc_clock.h"
#include "host/harness/timed_benchmark.h"

namespace fpubench {

// The wake-up mechanisms: system calls and integer atomics only.
namespace {

int other(Side s) { return s == Side::kPing ? 1 : 0; }
int me(Side s) { return int(s); }

void write_all(int fd, const void* buf, size_t n) {
  while (write(fd, buf, n) != ssize_t(n))
    if (errno != EINTR) throw_errno("write");
}
void read_all(int fd, void* buf, size_t n) {
  while (read(fd, buf, n) != ssize_t(n))
    if (errno != EINTR) throw_errno("read");
}

class FutexChannel final : public Channel {
 public:
  void send(Side from) override {
    std::atomic<uint32_t>& w = slot_[other(from)].word;
    w.fetch_add(1, std::memory_order_release);
    syscall(SYS_futex, &w, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }
  void wait(Side s) override {
    Slot& mine = slot_[me(s)];
    uint32_t now;
    while ((now = mine.word.load(std::memory_order_acquire)) == mine.seen)
      syscall(SYS_futex, &mine.word, FUTEX_WAIT_PRIVATE, mine.seen, nullptr, nullptr, 0);
    mine.seen = now;
  }

 private:
  // Each receiver's word, and the count it last saw, on a cache line of its own: were the two
  // directions on one line, every cross-PU hand-over would pay a coherence miss for the other's.
  struct alignas(64) Slot {
    std::atomic<uint32_t> word{0};
    uint32_t seen = 0;
  };
  static_assert(sizeof(Slot) == 64 && alignof(Slot) == 64, "one cache line per direction");
  Slot slot_[2];
};

class EventfdChannel final : public Channel {
 public:
  EventfdChannel() {
    for (int& fd : fd_)
      if ((fd = eventfd(0, EFD_CLOEXEC)) < 0) throw_errno("eventfd");
  }
  ~EventfdChannel() override {
    for (int fd : fd_) close(fd);
  }
  void send(Side from) override {
    uint64_t one = 1;
    write_all(fd_[other(from)], &one, sizeof one);
  }
  void wait(Side s) override {
    uint64_t v;
    read_all(fd_[me(s)], &v, sizeof v);
  }

 private:
  int fd_[2] = {-1, -1};
};

class PipeChannel final : public Channel {
 public:
  PipeChannel() {
    for (auto& p : pipe_)
      if (pipe2(p, O_CLOEXEC) != 0) throw_errno("pipe2");
  }
  ~PipeChannel() override {
    for (auto& p : pipe_) close(p[0]), close(p[1]);
  }
  void send(Side from) override { write_all(pipe_[other(from)][1], "x", 1); }
  void wait(Side s) override {
    char c;
    read_all(pipe_[me(s)][0], &c, 1);
  }

 private:
  int pipe_[2][2] = {{-1, -1}, {-1, -1}};  // pipe_[receiver]
};

class UnixSocketChannel final : public Channel {
 public:
  UnixSocketChannel() {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd_) != 0) throw_errno("socketpair");
  }
  ~UnixSocketChannel() override { close(fd_[0]), close(fd_[1]); }
  void send(Side from) override { write_all(fd_[me(from)], "x", 1); }
  void wait(Side s) override {
    char c;
    read_all(fd_[me(s)], &c, 1);
  }

 private:
  int fd_[2] = {-1, -1};  // fd_[side]: that side's end
};

// Turn-taking through one shared word: sched_yield gives the PU to the other (always runnable)
// thread; spin never enters the kernel.
class TurnChannel final : public Channel {
 public:
  explicit TurnChannel(bool yield) : yield_(yield) {}
  void send(Side from) override { turn_.store(other(from), std::memory_order_release); }
  void wait(Side s) override {
    while (turn_.load(std::memory_order_acquire) != me(s)) {
      if (yield_)
        sched_yield();
      else
        __builtin_ia32_pause();
    }
  }

 private:
  alignas(64) std::atomic<int> turn_{0};
  bool yield_;
};

}  // namespace

std::unique_ptr<Channel> make_channel(Mechanism m) {
  switch (m) {
    case Mechanism::kFutex: return std::make_unique<FutexChannel>();
    case Mechanism::kEventfd: return std::make_unique<EventfdChannel>();
    case Mechanism::kPipe: return std::make_unique<PipeChannel>();
    case Mechanism::kUnixSocket: return std::make_unique<UnixSocketChannel>();
    case Mechanism::kSchedYield: return std::make_unique<TurnChannel>(true);
    case Mechanism::kSpin: return std::make_unique<TurnChannel>(false);
  }
  throw std::logic_error("unknown mechanism");
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
  if (sigaction(signo, &sa, nullptr) != 0) throw_errno("sigaction");
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
