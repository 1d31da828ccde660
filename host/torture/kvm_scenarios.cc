// Torture scenarios with KVM: exits, irqfd wake-ups, KVM_GET/SET_FPU, vCPU migration, INIT.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host/harness/timed_benchmark.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_ioctl.h"
#include "host/kvm/kvm_system.h"
#include "host/kvm/kvm_timed.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/torture/scenario_support.h"

namespace fpubench {

static const KvmSystem* kvm_or_skip(ScenarioResult& r) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  if (!kvm) r.skipped = why;
  return kvm;
}

// PIO exits until time is up, with `between` run before every KVM_RUN; the host thread holds its
// own pattern across each KVM_RUN and the guest checks its SSE pattern every GUEST_CHECK_INTERVAL.
template <typename Between>
static void pio_exits(const TortureSetup& s, const KvmSystem& kvm, uint64_t host_seed, const char* event,
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
      int error = 0;
      RunOutcome o = timed_kvm_run(vcpu.fd(), &vcpu.state(), GUEST_BENCH_PORT, &host, &ticks, &error);
      if (o == RunOutcome::kHostStateChanged) {
        r.corruption = corruption("host thread", std::string(event) + " " + std::to_string(r.count + 1),
                                  host.mismatch());
        return;
      }
      if (o == RunOutcome::kFailed) throw KvmIoctlError("KVM_RUN", "vCPU 0", error);
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
      r.corruption = "XMM registers set with KVM_SET_FPU did not reach the guest (round " +
                     std::to_string(rounds + 1) + ")";
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
  pio_exits(s, *kvm, 19, "migration", r, [&](uint64_t n) {
    if (sched_setaffinity(0, sizeof(cpu_set_t), &sets[n & 1]) != 0)
      throw std::runtime_error(std::string("sched_setaffinity failed: ") + std::strerror(errno));
  });
  r.events = std::to_string(r.count) + " vCPU migrations between PUs, one PIO exit each";
  return r;
}

static void ignore_signal(int) {}

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
    int error = 0;  // the timer's signal ends the KVM_RUN of a vCPU waiting for SIPI: EINTR is expected
    RunOutcome o = timed_kvm_run(target.fd(), &target.state(), GUEST_BENCH_PORT, &host, &ticks, &error);
    if (o == RunOutcome::kFailed && error != EINTR) throw KvmIoctlError("KVM_RUN", "vCPU 1", error);
    if (o == RunOutcome::kHostStateChanged) {
      r.corruption = corruption("host thread", "INIT of vCPU 1 (round " + std::to_string(r.count + 1) + ")",
                                host.mismatch());
      break;
    }
    kvm_mp_state mp = target.mp_state();
    if (mp.mp_state != KVM_MP_STATE_INIT_RECEIVED) {
      r.skipped = "the INIT IPI did not reach the vCPU under this KVM backend (mp_state " +
                  std::to_string(mp.mp_state) + ")";
      break;
    }
    kvm_fpu after = target.fpu();
    // INIT leaves x87, SSE and MXCSR unchanged (SDM vol. 3, table 9-1; KVM clears only MPX state
    // on INIT): the vCPU must still hold what it held before, its own pattern included.
    if (std::memcmp(&before, &after, sizeof before) != 0 ||
        std::memcmp(after.xmm, vm.at<uint8_t>(pattern), sizeof after.xmm) != 0) {
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "INIT changed the guest FPU, which it must leave alone: FCW 0x%x -> 0x%x, "
                    "MXCSR 0x%x -> 0x%x, XMM %s",
                    before.fcw, after.fcw, before.mxcsr, after.mxcsr,
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

}  // namespace fpubench
