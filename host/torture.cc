#include "torture.h"

#include <signal.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <thread>

#include "counting.h"
#include "guest_call.h"
#include "kvm_irqfd_pingpong.h"
#include "kvm_run_loop.h"
#include "kvm_system.h"
#include "kvm_vcpu.h"
#include "pingpong_session.h"
#include "placement.h"
#include "torture_loops.h"

namespace fpubench {
namespace {


// Every component fpubench controls, AMX included when granted.
uint64_t all_of(const TortureSetup& s) { return s.regs.controllable(); }

// Sets `flag` when the scenario's time is up (or Ctrl-C), from a thread of its own.
class StopAtDeadline {
 public:
  explicit StopAtDeadline(const TortureSetup& s) : thread_([this, &s] {
      while (!done_ && !s.out_of_time()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      flag.store(true);
    }) {}
  ~StopAtDeadline() {
    done_ = true;
    thread_.join();
  }
  std::atomic<bool> flag{false};

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

std::string corruption(const char* who, const std::string& after, const Mismatch& m) {
  return std::string(who) + " after " + after + ": " + m.describe();
}

ScenarioResult host_pingpong(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  uint64_t mask = all_of(s);
  Placement same{"same-pu", s.topology.pu(0), s.topology.pu(0)};
  SessionSpec spec{Mechanism::kFutex, same, mask, mask, mask, 0, {}};
  XstateImage flipped = make_pattern(s.layout, mask, 2);  // the partner's pattern (seed 2)...
  if (s.corrupt) {
    flipped.data()[160 + 7 * 16 + 5] ^= 0x20;  // ...with one bit of XMM7 flipped
    spec.hook = {1000, &flipped, component_bit(kSseState)};
  }
  PingPongSession session(s.layout, s.regs, s.topology, spec);
  uint64_t ticks[256];
  while (!s.out_of_time()) {
    if (session.round_trips(256, ticks) < 256) {
      r.corruption = session.failure();
      break;
    }
  }
  r.count = session.completed();
  r.events = std::to_string(2 * r.count) + " context switches (" + std::to_string(r.count) + " round trips)";
  return r;
}

ScenarioResult host_migration(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  if (s.topology.pu_count() < 2) {
    r.skipped = "needs two PUs";
    return r;
  }
  // hwloc names the two PUs; the moves themselves use sched_setaffinity directly, because hwloc's
  // own code may use vector registers while the pattern is loaded.
  cpu_set_t a, b;
  CPU_ZERO(&a);
  CPU_ZERO(&b);
  CPU_SET(s.topology.pu(0)->os_index, &a);
  CPU_SET(s.topology.pu(s.topology.pu_count() - 1)->os_index, &b);
  XstateImage image = make_pattern(s.layout, all_of(s), 11);
  StateCheck check(s.layout, s.regs, image, all_of(s));
  bool ok;
  uint64_t n;
  {
    ScopedThreadBinding restore(s.topology, s.topology.pu(0));
    StopAtDeadline stop(s);
    n = migrate_and_check(check, a, b, stop.flag, &ok);
  }
  r.count = n;
  r.events = std::to_string(n) + " migrations between " + s.topology.location_of(s.topology.pu(0)) + " and " +
             s.topology.location_of(s.topology.pu(s.topology.pu_count() - 1));
  if (!ok) r.corruption = corruption("migrating thread", "migration " + std::to_string(n), check.mismatch());
  return r;
}

ScenarioResult host_signals(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  uint64_t mask = all_of(s) & ~kAmxComponents;  // a handler must not touch AMX without its own permission dance
  XstateImage image = make_pattern(s.layout, mask, 12), clobber = make_pattern(s.layout, mask, 13);
  StateCheck check(s.layout, s.regs, image, mask);
  install_clobbering_handler(SIGUSR2, &s.regs, &clobber, mask);
  bool ok;
  StopAtDeadline stop(s);
  r.count = signal_and_check(check, SIGUSR2, stop.flag, &ok);
  r.events = std::to_string(r.count) + " signals (handler clobbers " + describe_components(mask) + ")";
  if (!ok) r.corruption = corruption("signalled thread", "signal " + std::to_string(r.count), check.mismatch());
  return r;
}

ScenarioResult host_fork_exec(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  XstateImage image = make_pattern(s.layout, all_of(s), 14);
  // Linux starts a forked child with its AMX tile data in init state ("x86/fpu/amx: Initialize
  // child's AMX state"); the tile configuration and everything else it inherits (seen on 6.18).
  // Patterns are drawn component by component, so the same seed without XTILEDATA gives the same
  // bytes for the rest.
  XstateImage child_image = make_pattern(s.layout, all_of(s) & ~component_bit(kXtiledata), 14);
  StateCheck check(s.layout, s.regs, image, all_of(s)), child(s.layout, s.regs, child_image, all_of(s));
  bool ok, child_ok;
  StopAtDeadline stop(s);
  int status = 0;
  r.count = fork_and_check(check, child, stop.flag, &ok, &child_ok, &status);
  r.events = std::to_string(r.count) + " fork+exec children";
  if (!child_ok) {
    r.corruption = "child " + std::to_string(r.count) +
                   (WIFSIGNALED(status) ? " was killed by signal " + std::to_string(WTERMSIG(status))
                                        : " found registers other than its parent's at the fork (exit status " +
                                              std::to_string(WEXITSTATUS(status)) + ")");
  }
  if (!ok) r.corruption = corruption("parent", "child " + std::to_string(r.count), check.mismatch());
  return r;
}

ScenarioResult host_preemption(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  XstateImage victim_image = make_pattern(s.layout, all_of(s), 15), hog_image = make_pattern(s.layout, all_of(s), 16);
  StateCheck victim(s.layout, s.regs, victim_image, all_of(s)), hog(s.layout, s.regs, hog_image, all_of(s));
  bool victim_ok = true, hog_ok = true;
  long preempted = 0;
  {
    StopAtDeadline stop(s);
    std::thread hog_thread([&] {
      s.topology.bind_thread(s.topology.pu(0));
      spin_and_check(hog, stop.flag, &hog_ok);
    });
    ScopedThreadBinding bind(s.topology, s.topology.pu(0));
    spin_and_check(victim, stop.flag, &victim_ok);
    rusage ru{};
    getrusage(RUSAGE_THREAD, &ru);
    preempted = ru.ru_nivcsw;
    hog_thread.join();
  }
  r.count = uint64_t(preempted);
  r.events = std::to_string(preempted) + " preemptions of the checking thread by a CPU hog on its PU";
  if (!victim_ok) r.corruption = corruption("preempted thread", "a preemption", victim.mismatch());
  else if (!hog_ok) r.corruption = corruption("CPU hog", "a preemption", hog.mismatch());
  return r;
}

const KvmSystem* kvm_or_skip(ScenarioResult& r) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  if (!kvm) r.skipped = why;
  return kvm;
}

// PIO exits until time is up, with `between` run before every KVM_RUN; the host thread holds its
// own pattern across each KVM_RUN and the guest checks its SSE pattern every GUEST_CHECK_INTERVAL.
template <typename Between>
void pio_exits(const TortureSetup& s, const KvmSystem& kvm, uint64_t host_seed, const char* event,
               ScenarioResult& r, Between between) {
  uint64_t mask = all_of(s) & ~kAmxComponents;
  XstateImage host_image = make_pattern(s.layout, mask, host_seed);
  StateCheck host(s.layout, s.regs, host_image, mask);
  ScopedThreadBinding restore(s.topology, s.topology.pu(0));
  Vm vm(kvm);
  Vcpu vcpu(vm, 0, PAYLOAD_PIO_LOOP, GUEST_FPU_SSE);
  try {
    expect_call(vm, vcpu, PAYLOAD_PIO_LOOP, UCALL_SYNC);
    while (!s.out_of_time()) {
      between(r.count);
      uint64_t ticks;
      RunOutcome o = timed_kvm_run(vcpu.fd(), &vcpu.state(), GUEST_BENCH_PORT, &host, &ticks);
      if (o == RunOutcome::kHostStateChanged) {
        r.corruption = corruption("host thread", std::string(event) + " " + std::to_string(r.count + 1), host.mismatch());
        return;
      }
      if (o == RunOutcome::kOtherExit) decode_exit(vm, vcpu, PAYLOAD_PIO_LOOP);
      ++r.count;
    }
  } catch (const GuestError& e) {
    // Only the guest's own FPU check is evidence of lost state; any other guest failure is an error.
    (e.fpu_corruption() ? r.corruption : r.error) =
        std::string("guest after ") + event + " " + std::to_string(r.count) + ": " + e.what();
  }
}

ScenarioResult kvm_exits(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  const KvmSystem* kvm = kvm_or_skip(r);
  if (!kvm) return r;
  pio_exits(s, *kvm, 17, "exit", r, [](uint64_t) {});
  r.events = std::to_string(r.count) + " PIO exits to user space (guest SSE pattern checked every " +
             std::to_string(GUEST_CHECK_INTERVAL) + ", host pattern after each)";
  return r;
}

ScenarioResult kvm_irqfd(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  const KvmSystem* kvm = kvm_or_skip(r);
  if (!kvm) return r;
  Placement same{"same-pu", s.topology.pu(0), s.topology.pu(0)};
  uint64_t mask = all_of(s) & ~kAmxComponents;
  XstateImage host_image = make_pattern(s.layout, mask, 18);
  StateCheck host(s.layout, s.regs, host_image, mask);
  IrqfdPingPong pp(*kvm, s.topology, same, GUEST_FPU_SSE);
  while (!s.out_of_time()) {
    uint64_t ticks;
    host.load();  // the host thread's own pattern, held across the vCPU's wake-up on its PU
    bool alive = pp.round_trip(&ticks);
    bool same_state = host.registers_match();
    host.unload();
    if (!same_state) {
      r.corruption = corruption("host thread", "wake-up " + std::to_string(r.count + 1), host.mismatch());
      break;
    }
    if (!alive) break;
    ++r.count;
  }
  if (std::string e = pp.stop(); !e.empty() && r.corruption.empty()) r.corruption = "guest: " + e;
  r.events = std::to_string(r.count) + " HLT wake-ups by irqfd, vCPU and host thread on one PU";
  return r;
}

ScenarioResult kvm_state_io(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  const KvmSystem* kvm = kvm_or_skip(r);
  if (!kvm) return r;
  uint64_t rounds = 0;
  while (!s.out_of_time() && r.corruption.empty()) {
    Vm vm(*kvm);
    Vcpu vcpu(vm, 0, PAYLOAD_FPU_STATE_IO, 0);
    GuestCall c = expect_call(vm, vcpu, PAYLOAD_FPU_STATE_IO, UCALL_SYNC);
    kvm_fpu fpu = vcpu.fpu();
    const uint8_t* expected = vm.at<uint8_t>(c.args[0]);
    if (std::memcmp(fpu.xmm, expected, sizeof fpu.xmm) != 0) {
      r.corruption = "KVM_GET_FPU of a stopped vCPU differs from the XMM registers the guest holds (round " +
                     std::to_string(rounds + 1) + ")";
      break;
    }
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 16; ++j) fpu.xmm[i][j] = uint8_t(rounds * 31 + i * 16 + j);
    vcpu.set_fpu(fpu);
    c = expect_call(vm, vcpu, PAYLOAD_FPU_STATE_IO, UCALL_SYNC);
    if (std::memcmp(vm.at<uint8_t>(c.args[0]), fpu.xmm, sizeof fpu.xmm) != 0) {
      r.corruption = "XMM registers set with KVM_SET_FPU did not reach the guest (round " + std::to_string(rounds + 1) + ")";
      break;
    }
    ++rounds;
  }
  r.count = rounds;
  r.events = std::to_string(rounds) + " KVM_GET_FPU/KVM_SET_FPU round trips against the guest's own view";
  return r;
}

ScenarioResult kvm_migration(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  const KvmSystem* kvm = kvm_or_skip(r);
  if (!kvm) return r;
  if (s.topology.pu_count() < 2) {
    r.skipped = "needs two PUs";
    return r;
  }
  cpu_set_t sets[2];
  for (int i = 0; i < 2; ++i) {
    CPU_ZERO(&sets[i]);
    CPU_SET(s.topology.pu(i ? s.topology.pu_count() - 1 : 0)->os_index, &sets[i]);
  }
  // The vCPU thread moves to the other PU between exits; KVM must carry the guest FPU along.
  pio_exits(s, *kvm, 19, "migration", r,
            [&](uint64_t n) {
              if (sched_setaffinity(0, sizeof(cpu_set_t), &sets[n & 1]) != 0)
                throw std::runtime_error(std::string("sched_setaffinity failed: ") + std::strerror(errno));
            });
  r.events = std::to_string(r.count) + " vCPU migrations between PUs, one PIO exit each";
  return r;
}

void ignore_signal(int) {}

// INIT to a vCPU that holds an SSE pattern, while the host thread running it holds its own:
// afterwards the guest FPU must be as INIT leaves it architecturally (x87/SSE unchanged), the
// host's untouched, and the vCPU must run again from a fresh start.
ScenarioResult kvm_reset(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  const KvmSystem* kvm = kvm_or_skip(r);
  if (!kvm) return r;
  uint64_t mask = all_of(s) & ~kAmxComponents;
  XstateImage host_image = make_pattern(s.layout, mask, 20);
  StateCheck host(s.layout, s.regs, host_image, mask);
  // A timer signal ends the KVM_RUN that processes the INIT: the reset vCPU then waits for a
  // SIPI that never comes.
  int kick = SIGRTMIN + 1;
  struct sigaction sa {};
  sa.sa_handler = ignore_signal;
  if (sigaction(kick, &sa, nullptr) != 0) {
    r.skipped = std::string("sigaction failed: ") + std::strerror(errno);
    return r;
  }
  sigevent ev{};
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = kick;
  ev._sigev_un._tid = current_tid();
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) {
    r.skipped = std::string("timer_create failed: ") + std::strerror(errno);
    return r;
  }
  while (!s.out_of_time() && r.corruption.empty() && r.skipped.empty()) {
    Vm vm(*kvm);
    Vcpu sender(vm, 0, PAYLOAD_SEND_INIT, 1), target(vm, 1, PAYLOAD_FPU_STATE_IO, 0);
    uint64_t pattern = expect_call(vm, target, PAYLOAD_FPU_STATE_IO, UCALL_SYNC).args[0];  // loaded
    kvm_fpu before = target.fpu();
    expect_call(vm, sender, PAYLOAD_SEND_INIT, UCALL_SYNC);  // INIT is pending for vCPU 1
    itimerspec in{};
    in.it_value.tv_nsec = 20'000'000;
    if (timer_settime(timer, 0, &in, nullptr) != 0) {
      r.skipped = std::string("timer_settime failed: ") + std::strerror(errno);
      break;
    }
    uint64_t ticks;
    RunOutcome o = timed_kvm_run(target.fd(), &target.state(), GUEST_BENCH_PORT, &host, &ticks);
    if (o == RunOutcome::kHostStateChanged) {
      r.corruption = corruption("host thread", "INIT of vCPU 1 (round " + std::to_string(r.count + 1) + ")", host.mismatch());
      break;
    }
    kvm_mp_state mp = target.mp_state();
    if (mp.mp_state != KVM_MP_STATE_INIT_RECEIVED) {
      r.skipped = "the INIT IPI did not reach the vCPU under this KVM backend (mp_state " + std::to_string(mp.mp_state) + ")";
      break;
    }
    kvm_fpu after = target.fpu();
    // INIT leaves x87, SSE and MXCSR unchanged (SDM vol. 3, table 9-1; KVM clears only MPX state
    // on INIT): the vCPU must still hold what it held before, its own pattern included.
    if (std::memcmp(&before, &after, sizeof before) != 0 ||
        std::memcmp(after.xmm, vm.at<uint8_t>(pattern), sizeof after.xmm) != 0) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "INIT changed the guest FPU, which it must leave alone: FCW 0x%x -> 0x%x, "
                    "MXCSR 0x%x -> 0x%x, XMM %s", before.fcw, after.fcw, before.mxcsr, after.mxcsr,
                    std::memcmp(after.xmm, vm.at<uint8_t>(pattern), sizeof after.xmm) ? "changed" : "kept");
      r.corruption = buf;
      break;
    }
    target.start(PAYLOAD_SELFTEST_SYNC, 5);  // and it must run again
    if (expect_call(vm, target, PAYLOAD_SELFTEST_SYNC, UCALL_SYNC).args[1] != 6) {
      r.corruption = "the vCPU did not run correctly after the INIT reset";
      break;
    }
    ++r.count;
  }
  timer_delete(timer);
  r.events = std::to_string(r.count) + " INIT resets of a vCPU holding an SSE pattern, then re-entry";
  return r;
}

}  // namespace

const std::vector<TortureScenario>& torture_scenarios() {
  static const std::vector<TortureScenario> table = {
      {"host/pingpong-same-pu", host_pingpong},
      {"host/migration", host_migration},
      {"host/signals", host_signals},
      {"host/fork-exec", host_fork_exec},
      {"host/preemption", host_preemption},
      {"kvm/exits", kvm_exits},
      {"kvm/irqfd-same-pu", kvm_irqfd},
      {"kvm/get-set-fpu", kvm_state_io},
      {"kvm/migration", kvm_migration},
      {"kvm/init-reset", kvm_reset},
  };
  return table;
}

const char* scenario_status(const ScenarioResult& r) {
  if (!r.corruption.empty()) return "CORRUPTED";
  if (!r.error.empty()) return "ERROR";
  if (!r.skipped.empty()) return "skipped";
  if (r.count == 0) return "not run";
  return "ok";
}

TortureVerdict torture_verdict(const std::vector<ScenarioResult>& results,
                               const std::vector<std::string>& kernel_log, bool interrupted) {
  bool corrupted = !kernel_log.empty(), error = false, tested = false;
  for (const ScenarioResult& r : results) {
    std::string status = scenario_status(r);
    corrupted |= status == "CORRUPTED";
    error |= status == "ERROR";
    tested |= status == "ok";
  }
  if (corrupted) return {3, "FAILED"};
  if (error) return {5, "incomplete"};
  if (interrupted) return {130, "interrupted"};
  if (!tested) return {4, "nothing tested"};
  return {0, "passed"};
}

std::string torture_table(const std::vector<ScenarioResult>& results,
                          const std::vector<std::string>& kernel_log, bool interrupted) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %-11s %s\n", "scenario", "result", "events exercised");
  out += line;
  for (const ScenarioResult& r : results) {
    std::string status = scenario_status(r);
    std::string detail = !r.skipped.empty() ? r.skipped
                         : status == "not run" ? "no iteration completed in its time (" + r.events + ")"
                                               : r.events;
    std::snprintf(line, sizeof line, "%-22s %-11s %s\n", r.name.c_str(), status.c_str(), detail.c_str());
    out += line;
    if (!r.corruption.empty()) out += "    " + r.corruption + "\n";
    if (!r.error.empty()) out += "    " + r.error + "\n";
  }
  out += "kernel log: " + std::to_string(kernel_log.size()) + " FPU/xstate line" + (kernel_log.size() == 1 ? "" : "s") + "\n";
  for (const std::string& l : kernel_log) out += "    " + l + "\n";
  if (interrupted) out += "(interrupted: a partial run)\n";
  return out;
}

}  // namespace fpubench
