#include "host/kvm/kvm_bench.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "bench/latency_histogram.h"
#include "bench/partner_thread.h"
#include "bench/state_check.h"
#include "host/harness/counting.h"
#include "host/harness/integrity.h"
#include "host/harness/round_trip_report.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_ioctl.h"
#include "host/kvm/kvm_irqfd_pingpong.h"
#include "host/kvm/kvm_probe.h"
#include "host/kvm/kvm_run_loop.h"
#include "host/kvm/kvm_system.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"
#include "host/plan/selfcheck.h"

namespace fpubench {
namespace {

struct GuestState {
  const char* name;
  guest_fpu_state state;
};
constexpr GuestState kGuestStates[] = {{"guest-init", GUEST_FPU_INIT},
                                       {"guest-sse", GUEST_FPU_SSE},
                                       {"guest-avx", GUEST_FPU_AVX},
                                       {"guest-avx512", GUEST_FPU_AVX512}};

std::string guest_state_unavailable(const GuestAbilities& a, guest_fpu_state s) {
  if (s == GUEST_FPU_AVX) return a.avx_unavailable;
  if (s == GUEST_FPU_AVX512) return a.avx512_unavailable;
  return "";
}

// KVM_RUN -> exit to user space -> KVM_RUN, timed around the ioctl on the host thread.
void run_exit_round_trip(benchmark::State& st, const KvmBenchSetup& s, const std::string& name,
                         guest_payload_id payload, guest_fpu_state guest, bool host_dirty, double inject_ns) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  ScopedThreadBinding binding(s.topology, s.topology.pu(0));
  uint64_t host_mask = s.regs.controllable() & ~kAmxComponents;
  XstateImage host_image = make_pattern(s.layout, host_dirty ? host_mask : 0, 3);
  StateCheck host(s.layout, s.regs, host_image, host_mask);
  LatencyRecorder rec;
  try {
    Vm vm(*kvm);
    Vcpu vcpu(vm, 0, payload, guest);
    expect_call(vm, vcpu, payload, UCALL_SYNC);  // the guest holds its state from here on
    BenchmarkCounting counting({current_tid()});
    uint16_t port = payload == PAYLOAD_PIO_LOOP ? GUEST_BENCH_PORT : 0;
    counting.start();
    time_round_trips(st, s.tsc, rec, [&](uint64_t* ticks) {
      int error = 0;
      RunOutcome o =
          timed_kvm_run(vcpu.fd(), &vcpu.state(), port, &host, ticks, &error, inject_ticks(s.tsc, inject_ns));
      if (o == RunOutcome::kFailed) throw KvmIoctlError("KVM_RUN", "vCPU 0", error);
      if (o == RunOutcome::kHostStateChanged) {
        fail_benchmark(st, "kvm", name,
                       "the host thread across KVM_RUN " + std::to_string(rec.count() + 1) + ": " +
                           host.mismatch().describe(),
                       true);
        return false;
      }
      if (o == RunOutcome::kOtherExit) decode_exit(vm, vcpu, payload);  // throws with the details
      return true;
    });
    counting.stop();
    counting.report(st, double(rec.count()));
  } catch (const std::exception& e) {
    fail_benchmark(st, "kvm", name, e);
    return;
  }
  report_round_trips(st, rec, s.tsc, name, s.histograms);
}

// Batches timed inside the guest (GUEST_SYNC(ticks, n)): in-kernel exits and the XSAVE family.
void run_guest_timed(benchmark::State& st, const KvmBenchSetup& s, guest_payload_id payload, uint64_t arg) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  ScopedThreadBinding binding(s.topology, s.topology.pu(0));
  try {
    Vm vm(*kvm);
    vm.ioeventfd(GUEST_IOEVENTFD_PORT);
    Vcpu vcpu(vm, 0, payload, arg);
    BenchmarkCounting counting({current_tid()});
    double ticks = 0, ops = 0;
    counting.start();
    for (auto _ : st) {
      GuestCall c = expect_call(vm, vcpu, payload, UCALL_SYNC);
      ticks += double(c.args[0]);
      ops += double(c.args[1]);
      st.SetIterationTime(s.tsc.ticks_to_ns(double(c.args[0])) * 1e-9);
    }
    counting.stop();
    st.counters["ticks_per_op"] = ticks / ops;
    st.counters["ns_per_op"] = s.tsc.ticks_to_ns(ticks / ops);
    counting.report(st, ops);
  } catch (const std::exception& e) {
    fail_benchmark(st, "kvm", payload_name(payload), e);
  }
}

void run_irqfd_pingpong(benchmark::State& st, const KvmBenchSetup& s, const std::string& name,
                        const Placement& placement, guest_fpu_state guest) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  LatencyRecorder rec;
  try {
    IrqfdPingPong pp(*kvm, s.topology, placement, guest);
    // On one PU each irqfd wake-up preempts the waker: not a disturbance there.
    BenchmarkCounting counting({current_tid(), pp.vcpu_tid()}, placement.first != placement.second);
    counting.start();
    // A failed round trip ends the loop; the vCPU thread's error is reported once, below.
    time_round_trips(st, s.tsc, rec, [&](uint64_t* ticks) { return pp.round_trip(ticks); });
    counting.stop();
    if (std::string error = pp.stop(); !error.empty()) {
      fail_benchmark(st, "kvm", name, error, pp.guest_corrupted());
      return;
    }
    counting.report(st, double(rec.count()));
  } catch (const std::exception& e) {
    fail_benchmark(st, "kvm", name, e);
    return;
  }
  report_round_trips(st, rec, s.tsc, name, s.histograms);
}

// vCPU 0 (this thread) and vCPU 1 (a partner thread) wake each other with IPIs and halt in
// between; vCPU 0 times each round trip and reports batches of 64.
void run_ipi_pingpong(benchmark::State& st, const KvmBenchSetup& s, const std::string& name,
                      const Placement& placement) {
  std::string why;
  const KvmSystem* kvm = KvmSystem::get(&why);
  LatencyRecorder rec;
  try {
    ScopedThreadBinding binding(s.topology, placement.first);
    Vm vm(*kvm);
    EventFd& kick1 = vm.irqfd(1, GUEST_VECTOR_IRQFD);
    Vcpu v0(vm, 0, PAYLOAD_IPI_PINGPONG, 0), v1(vm, 1, PAYLOAD_IPI_PINGPONG, 0);
    PartnerThread vcpu1(
        [&](PartnerThread& me) {
          s.topology.bind_thread(placement.second);
          expect_call(vm, v1, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);
          me.ready();
          expect_call(vm, v1, PAYLOAD_IPI_PINGPONG, UCALL_DONE);
        },
        [&] {
          vm.percpu(1)->stop = 1;
          kick1.signal();  // wake vCPU 1 so it sees stop
        });
    vcpu1.wait_ready();
    expect_call(vm, v0, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);  // vCPU 0 ready
    BenchmarkCounting counting({current_tid(), vcpu1.tid()}, placement.first != placement.second);
    counting.start();
    for (auto _ : st) {
      GuestCall c = expect_call(vm, v0, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);
      for (uint64_t i = 0; i < c.args[1] && i < 64; ++i) rec.add(vm.percpu(0)->samples[i]);
      st.SetIterationTime(s.tsc.ticks_to_ns(double(c.args[0])) * 1e-9);
    }
    counting.stop();
    vm.percpu(0)->stop = 1;
    vm.percpu(1)->stop = 1;
    for (GuestCall c; (c = run_to_call(vm, v0, PAYLOAD_IPI_PINGPONG)).kind != UCALL_DONE;) {
    }
    if (std::exception_ptr error = vcpu1.finish()) {
      fail_benchmark(st, "kvm", name, vcpu1.error(), is_fpu_corruption(error));
      return;
    }
    counting.report(st, double(rec.count()));
  } catch (const std::exception& e) {
    fail_benchmark(st, "kvm", name, e);
    return;
  }
  report_round_trips(st, rec, s.tsc, name, s.histograms);
}

}  // namespace

void plan_kvm_suite(const KvmBenchSetup& s, SuitePlan& plan) {
  SkipList& skipped = plan.skipped;
  if (!s.kvm_unavailable.empty()) {
    skipped.push_back({"kvm/*", s.kvm_unavailable});
    return;
  }
  const GuestAbilities& a = s.guest;
  plan.context.emplace_back("kvm_guest_xcr0", describe_components(a.xcr0));

  for (const GuestState& g : kGuestStates) {
    if (std::string no = guest_state_unavailable(a, g.state); !no.empty()) {
      skipped.push_back({std::string("kvm/*/") + g.name + "/*", no});
      continue;
    }
    for (bool dirty : {false, true}) {
      std::string host = dirty ? "host-dirty" : "host-init";
      for (auto [what, payload] :
           {std::pair{"pio-exit", PAYLOAD_PIO_LOOP}, std::pair{"mmio-exit", PAYLOAD_MMIO_LOOP}}) {
        for (const Variant& v :
             variants_of(std::string("kvm/") + what + "/" + g.name + "/" + host, s.inject_ns)) {
          plan.add(v.name, [&s, v, payload, g, dirty](benchmark::State& st) {
            run_exit_round_trip(st, s, v.name, payload, g.state, dirty, v.inject_ns);
          });
        }
      }
    }
  }

  if (selfcheck_active()) return;
  for (auto [what, which] : {std::pair{"cpuid", GUEST_EXIT_CPUID}, std::pair{"rdmsr", GUEST_EXIT_RDMSR},
                             std::pair{"ioeventfd", GUEST_EXIT_IOEVENTFD}}) {
    plan.add(std::string("kvm/inkernel-exit/") + what,
             [&s, which](benchmark::State& st) { run_guest_timed(st, s, PAYLOAD_INKERNEL_EXITS, which); });
  }

  for (const UnavailablePlacement& u : s.placements.unavailable)
    skipped.push_back({"kvm/*-pingpong/" + u.name + "/*", u.why});
  for (const Placement& p : s.placements.available) {
    for (const GuestState& g : kGuestStates) {
      if (g.state != GUEST_FPU_INIT && g.state != GUEST_FPU_SSE) continue;  // what every guest can hold
      std::string name = "kvm/irqfd-pingpong/" + p.name + "/" + g.name;
      plan.add(name, [&s, name, p, g](benchmark::State& st) { run_irqfd_pingpong(st, s, name, p, g.state); });
    }
    std::string name = "kvm/ipi-pingpong/" + p.name;
    plan.add(name, [&s, name, p](benchmark::State& st) { run_ipi_pingpong(st, s, name, p); });
  }

  if (!a.xsave_unavailable.empty()) {
    skipped.push_back({"kvm/xsave/*", a.xsave_unavailable});
    return;
  }
  struct Insn {
    const char* name;
    guest_xsave_insn insn;
    bool supervisor;
  };
  for (Insn i : {Insn{"XSAVE", GUEST_XSAVE, false}, Insn{"XSAVEOPT", GUEST_XSAVEOPT, false},
                 Insn{"XSAVEC", GUEST_XSAVEC, false}, Insn{"XSAVES", GUEST_XSAVES, true},
                 Insn{"XRSTOR", GUEST_XRSTOR, false}, Insn{"XRSTORS", GUEST_XRSTORS, true}}) {
    if (i.supervisor && !a.xsaves) {
      skipped.push_back(
          {std::string("kvm/xsave/") + i.name + "/*", "the guest CPU KVM offers has no XSAVES"});
      continue;
    }
    uint64_t arg = (uint64_t(i.insn) << 32) | a.xcr0;
    plan.add(std::string("kvm/xsave/") + i.name + "/all",
             [&s, arg](benchmark::State& st) { run_guest_timed(st, s, PAYLOAD_XSAVE_FAMILY, arg); });
  }
}

}  // namespace fpubench
