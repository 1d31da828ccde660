#include "host/kvm/kvm_bench.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "bench/latency_histogram.h"
#include "bench/partner_thread.h"
#include "bench/state_check.h"
#include "host/harness/timed_benchmark.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_ioctl.h"
#include "host/kvm/kvm_probe.h"
#include "host/kvm/kvm_system.h"
#include "host/kvm/kvm_timed.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"

namespace fpubench {
namespace {

// The KVM rows, one table per kind, as kvm-unit-tests' vmexit.c lists its tests; the bodies that
// time them follow, and plan_kvm_suite, at the end, walks the tables.

// The guest's FPU state: a row per state for exits to user space (the held side of a paired row),
// and for the irqfd ping-pong the states every guest can hold.
struct GuestState {
  const char* name;
  guest_fpu_state state;
  bool every_guest;  // init and SSE: no guest CPU lacks them
};
constexpr GuestState kGuestStates[] = {{"guest-init", GUEST_FPU_INIT, true},
                                       {"guest-sse", GUEST_FPU_SSE, true},
                                       {"guest-avx", GUEST_FPU_AVX, false},
                                       {"guest-avx512", GUEST_FPU_AVX512, false}};

// Exits to user space, timed around KVM_RUN on the host thread: kvm/<what>/<guest>/<host>, the
// host thread's own state init or dirty.
struct UserExit {
  const char* what;
  guest_payload_id payload;
};
constexpr UserExit kUserExits[] = {{"pio-exit", PAYLOAD_PIO_LOOP}, {"mmio-exit", PAYLOAD_MMIO_LOOP}};

// Exits the kernel handles without returning to user space, timed inside the guest:
// kvm/inkernel-exit/<what>. The exit's kind is its mechanism: the fields alone tell them apart.
struct InKernelExit {
  const char* what;
  guest_inkernel_exit which;
};
constexpr InKernelExit kInKernelExits[] = {
    {"cpuid", GUEST_EXIT_CPUID}, {"rdmsr", GUEST_EXIT_RDMSR}, {"ioeventfd", GUEST_EXIT_IOEVENTFD}};

// Wake-ups per placement: kvm/irqfd-pingpong/<placement>/<guest> (a host thread and a halted
// vCPU) and kvm/ipi-pingpong/<placement> (two vCPUs), their bodies below.

// The XSAVE family inside the guest, every enabled component: kvm/xsave/<insn>/all.
struct GuestXsave {
  const char* name;
  guest_xsave_insn insn;
  bool supervisor;  // needs XSAVES in the guest's CPU
};
constexpr GuestXsave kGuestXsave[] = {{"XSAVE", GUEST_XSAVE, false},   {"XSAVEOPT", GUEST_XSAVEOPT, false},
                                      {"XSAVEC", GUEST_XSAVEC, false}, {"XSAVES", GUEST_XSAVES, true},
                                      {"XRSTOR", GUEST_XRSTOR, false}, {"XRSTORS", GUEST_XRSTORS, true}};

std::string guest_state_unavailable(const GuestAbilities& a, guest_fpu_state s) {
  if (s == GUEST_FPU_AVX) return a.avx_unavailable;
  if (s == GUEST_FPU_AVX512) return a.avx512_unavailable;
  return "";
}

const KvmSystem& kvm_system() {
  std::string why;
  return *KvmSystem::get(&why);  // the plan has checked it is there
}

// KVM_RUN -> exit to user space -> KVM_RUN, timed around the ioctl on the host thread.
class ExitRoundTrip : public TimedBody {
 public:
  ExitRoundTrip(const KvmBenchSetup& s, guest_payload_id payload, guest_fpu_state guest, bool host_dirty,
                double inject_ns)
      : payload_(payload),
        inject_ticks_(inject_ticks(s.tsc, inject_ns)),
        binding_(s.topology, s.topology.pu(0)),
        host_mask_(s.regs.controllable() & ~kAmxComponents),
        host_image_(make_pattern(s.layout, host_dirty ? host_mask_ : 0, 3)),
        host_(s.layout, s.regs, host_image_, host_mask_),
        vm_(kvm_system()),
        vcpu_(vm_, 0, payload, guest) {
    expect_call(vm_, vcpu_, payload, UCALL_SYNC);  // the guest holds its state from here on
  }
  bool step(Step& step) override {
    uint16_t port = payload_ == PAYLOAD_PIO_LOOP ? GUEST_BENCH_PORT : 0;
    int error = 0;
    RunOutcome o =
        timed_kvm_run(vcpu_.fd(), &vcpu_.state(), port, &host_, &step.ticks, &error, inject_ticks_);
    if (o == RunOutcome::kHostStateChanged) {
      failure = {
          "the host thread across KVM_RUN " + std::to_string(done_ + 1) + ": " + host_.mismatch().describe(),
          true};
      return false;
    }
    if (o == RunOutcome::kFailed) throw KvmIoctlError("KVM_RUN", "vCPU 0", error);
    if (o == RunOutcome::kOtherExit) decode_exit(vm_, vcpu_, payload_);  // throws with the details
    ++done_;
    return true;
  }

 private:
  guest_payload_id payload_;
  int64_t inject_ticks_;
  ScopedThreadBinding binding_;
  uint64_t host_mask_;
  XstateImage host_image_;
  StateCheck host_;
  Vm vm_;
  Vcpu vcpu_;
  uint64_t done_ = 0;
};

// Batches timed inside the guest (GUEST_SYNC(ticks, n)): in-kernel exits and the XSAVE family.
class GuestTimed : public TimedBody {
 public:
  GuestTimed(const KvmBenchSetup& s, guest_payload_id payload, uint64_t arg)
      : payload_(payload),
        binding_(s.topology, s.topology.pu(0)),
        vm_(kvm_system()),
        ioeventfd_(vm_.ioeventfd(GUEST_IOEVENTFD_PORT)),
        vcpu_(vm_, 0, payload, arg) {}
  bool step(Step& step) override {
    GuestCall c = expect_call(vm_, vcpu_, payload_, UCALL_SYNC);
    step.ticks = c.args[0];
    step.host_timed = false;
    step.operations = double(c.args[1]);
    return true;
  }

 private:
  guest_payload_id payload_;
  ScopedThreadBinding binding_;
  Vm vm_;
  EventFd& ioeventfd_;
  Vcpu vcpu_;
};

class IrqfdRoundTrip : public TimedBody {
 public:
  IrqfdRoundTrip(const KvmBenchSetup& s, const Placement& placement, guest_fpu_state guest)
      : one_pu_(placement.first == placement.second), pp_(kvm_system(), s.topology, placement, guest) {}
  std::vector<pid_t> threads() const override { return {current_tid(), pp_.vcpu_tid()}; }
  // On one PU each irqfd wake-up preempts the waker: not a disturbance there.
  bool preemptions_are_disturbances() const override { return !one_pu_; }
  // A failed round trip ends the loop; the vCPU thread's error is reported once, by finish().
  bool step(Step& step) override { return pp_.round_trip(&step.ticks); }
  Failure finish() override {
    std::string error = pp_.stop();
    return {error, !error.empty() && pp_.guest_corrupted()};
  }

 private:
  bool one_pu_;
  IrqfdPingPong pp_;
};

// vCPU 0 (this thread) and vCPU 1 (a partner thread) wake each other with IPIs and halt in
// between; vCPU 0 times each round trip and reports batches of up to 64.
class IpiRoundTrips : public TimedBody {
 public:
  IpiRoundTrips(const KvmBenchSetup& s, const Placement& placement)
      : one_pu_(placement.first == placement.second),
        binding_(s.topology, placement.first),
        vm_(kvm_system()),
        kick1_(vm_.irqfd(1, GUEST_VECTOR_IRQFD)),
        v0_(vm_, 0, PAYLOAD_IPI_PINGPONG, 0),
        v1_(vm_, 1, PAYLOAD_IPI_PINGPONG, 0),
        vcpu1_(
            [this, &s, placement](PartnerThread& me) {
              s.topology.bind_thread(placement.second);
              expect_call(vm_, v1_, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);
              me.ready();
              expect_call(vm_, v1_, PAYLOAD_IPI_PINGPONG, UCALL_DONE);
            },
            [this] {
              vm_.percpu(1)->stop = 1;
              kick1_.signal();  // wake vCPU 1 so it sees stop
            }) {
    vcpu1_.wait_ready();
    expect_call(vm_, v0_, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);  // vCPU 0 ready
  }
  std::vector<pid_t> threads() const override { return {current_tid(), vcpu1_.tid()}; }
  bool preemptions_are_disturbances() const override { return !one_pu_; }
  bool step(Step& step) override {
    GuestCall c = expect_call(vm_, v0_, PAYLOAD_IPI_PINGPONG, UCALL_SYNC);
    uint64_t n = std::min<uint64_t>(c.args[1], 64);
    step.ticks = c.args[0];
    step.host_timed = false;
    step.operations = double(n);
    step.samples = {vm_.percpu(0)->samples, n};
    return true;
  }
  Failure finish() override {
    vm_.percpu(0)->stop = 1;
    vm_.percpu(1)->stop = 1;
    for (GuestCall c; (c = run_to_call(vm_, v0_, PAYLOAD_IPI_PINGPONG)).kind != UCALL_DONE;) {
    }
    std::exception_ptr error = vcpu1_.finish();
    return {vcpu1_.error(), is_fpu_corruption(error)};
  }

 private:
  bool one_pu_;
  ScopedThreadBinding binding_;
  Vm vm_;
  EventFd& kick1_;
  Vcpu v0_, v1_;
  PartnerThread vcpu1_;
};

TimedRun guest_timed(const KvmBenchSetup& s, guest_payload_id payload, uint64_t arg) {
  return [&s, payload, arg](benchmark::State& st, const PlannedBenchmark&) {
    run_timed(st, {&s.tsc, nullptr}, "kvm", payload_name(payload), Figure::kPerOperation,
              [&] { return std::make_unique<GuestTimed>(s, payload, arg); });
  };
}

Row kvm_row(const std::string& family, const std::string& variant, const std::string& mechanism,
            const std::string& placement, const std::string& state, const std::string& partner_state,
            const std::string& figure = "rtt_p50_ns") {
  return Row{.suite = "kvm",
             .family = family,
             .variant = variant,
             .mechanism = mechanism,
             .placement = placement,
             .state = state,
             .partner_state = partner_state,
             .figure = figure,
             .unit = "ns",
             .role = "kernel",
             .better = "lower"};
}

// guest-init -> none, guest-avx -> avx: the component set the guest holds.
std::string guest_set(const std::string& guest_state) {
  std::string set = guest_state.substr(std::string("guest-").size());
  return set == "init" ? "none" : set;
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
      for (auto [what, payload] : kUserExits) {
        std::string family = std::string("kvm/") + what;
        Row row = kvm_row(family, g.name + std::string("/") + host, what, "", host, guest_set(g.name));
        bool paired = g.state != GUEST_FPU_INIT;
        if (paired) {
          row.baseline = family + "/guest-init/" + host;
          row.cost_figure = "cost_p50_ns";
        }
        // A paired row times a guest-init VM beside its own; one wait per exit: the run's delay
        // plus the held side's cost delay (a zero wait on the init side: both run the same code).
        auto exits = [&s, payload, dirty](guest_fpu_state guest, const Delays& d, double cost) {
          double inject = d.held_side_ns < 0 ? d.round_trip_ns : std::max(d.round_trip_ns, 0.0) + cost;
          return std::make_unique<ExitRoundTrip>(s, payload, guest, dirty, inject);
        };
        plan.add(
            row,
            [&s, g, paired, exits](benchmark::State& st, const PlannedBenchmark& b) {
              const Delays& d = b.delays;
              run_timed(st, {&s.tsc, s.histograms, s.paired}, "kvm", b.name, round_trip_figure(paired), [&] {
                return paired ? pair_of(exits(g.state, d, d.held_side_ns), exits(GUEST_FPU_INIT, d, 0))
                              : std::unique_ptr<TimedBody>(exits(g.state, d, d.held_side_ns));
              });
            },
            Delayable::kRoundTrip);
      }
    }
  }

  for (auto [what, which] : kInKernelExits)
    plan.add(kvm_row("kvm/inkernel-exit", what, std::string(what) + "-exit", "", "", "", "ns_per_op"),
             guest_timed(s, PAYLOAD_INKERNEL_EXITS, which));

  for (const UnavailablePlacement& u : s.placements.unavailable)
    skipped.push_back({"kvm/*-pingpong/" + u.name + "/*", u.why});
  for (const Placement& p : s.placements.available) {
    for (const GuestState& g : kGuestStates) {
      if (!g.every_guest) continue;
      std::string family = "kvm/irqfd-pingpong/" + p.name;
      Row row = kvm_row(family, g.name, "irqfd-pingpong", p.name, "", guest_set(g.name));
      bool paired = g.state != GUEST_FPU_INIT;
      if (paired) {
        row.baseline = family + "/guest-init";
        row.cost_figure = "cost_p50_ns";
      }
      plan.add(row, [&s, p, g, paired](benchmark::State& st, const PlannedBenchmark& b) {
        run_timed(st, {&s.tsc, s.histograms, s.paired}, "kvm", b.name, round_trip_figure(paired), [&] {
          std::unique_ptr<TimedBody> own = std::make_unique<IrqfdRoundTrip>(s, p, g.state);
          return paired ? pair_of(std::move(own), std::make_unique<IrqfdRoundTrip>(s, p, GUEST_FPU_INIT))
                        : std::move(own);
        });
      });
    }
    Row ipi = kvm_row("kvm/ipi-pingpong", p.name, "ipi-pingpong", p.name, "", "");
    plan.add(ipi, [&s, p](benchmark::State& st, const PlannedBenchmark& b) {
      run_timed(st, {&s.tsc, s.histograms}, "kvm", b.name, Figure::kRoundTrips,
                [&] { return std::make_unique<IpiRoundTrips>(s, p); });
    });
  }

  if (!a.xsave_unavailable.empty()) {
    skipped.push_back({"kvm/xsave/*", a.xsave_unavailable});
    return;
  }
  for (const GuestXsave& i : kGuestXsave) {
    if (i.supervisor && !a.xsaves) {
      skipped.push_back(
          {std::string("kvm/xsave/") + i.name + "/*", "the guest CPU KVM offers has no XSAVES"});
      continue;
    }
    uint64_t arg = (uint64_t(i.insn) << 32) | a.xcr0;
    plan.add(kvm_row("kvm/xsave", std::string(i.name) + "/all", i.name, "", "all", "", "ns_per_op"),
             guest_timed(s, PAYLOAD_XSAVE_FAMILY, arg));
  }
}

}  // namespace fpubench
