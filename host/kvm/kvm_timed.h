// The timed bodies of the KVM rows that are timed from the host, with the host thread's own
// register pattern loaded around them and checked after each (built with -mgeneral-regs-only,
// kvm_timed_regs_loaded.cc): one KVM_RUN round trip, and a host thread and a halted vCPU waking
// each other. For the latter the host writes an irqfd and the guest's handler answers through an
// ioeventfd; the vCPU thread never leaves KVM_RUN, it is only scheduled out and in: the scenario
// KVM's 2017 FPU change was about.
#pragma once

#include <linux/kvm.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "bench/partner_thread.h"
#include "bench/placement.h"
#include "bench/state_check.h"
#include "bench/topology.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"

namespace fpubench {

enum class RunOutcome { kExpectedExit, kOtherExit, kHostStateChanged, kFailed };

// One KVM_RUN on `vcpu_fd`: `host` (may be null) is loaded before and checked after; `ticks` gets
// the TSC ticks of the ioctl, plus a busy-wait of `inject_ticks` inside the timed interval.
// kExpectedExit when the exit is an OUT to `port` (or an MMIO write when `port` is 0); kFailed with
// `failed_errno` set when the ioctl itself failed (kvm_ioctl.h: describe_kvm_failure).
RunOutcome timed_kvm_run(int vcpu_fd, const kvm_run* run, uint16_t port, StateCheck* host, uint64_t* ticks,
                         int* failed_errno, int64_t inject_ticks = -1);

// A host thread and a halted vCPU waking each other; owns the VM and the vCPU thread.
class IrqfdPingPong {
 public:
  // The calling thread is bound to placement.first, the vCPU thread to placement.second. Throws
  // std::runtime_error (or GuestError) when the VM or the guest cannot start.
  IrqfdPingPong(const KvmSystem& kvm, const Topology& topology, const Placement& placement,
                guest_fpu_state guest_state);
  ~IrqfdPingPong();  // stops the guest and joins the vCPU thread
  IrqfdPingPong(const IrqfdPingPong&) = delete;
  IrqfdPingPong& operator=(const IrqfdPingPong&) = delete;

  // One timed round trip in TSC ticks; false when the guest has failed (see error()).
  bool round_trip(uint64_t* ticks);
  pid_t vcpu_tid() const { return vcpu_thread_->tid(); }
  // The guest's failure, once the vCPU thread has stopped ("" if none).
  std::string stop();
  // After stop(): the failure was the guest finding its FPU state changed.
  bool guest_corrupted();

 private:
  ScopedThreadBinding binding_;
  Vm vm_;
  EventFd& irq_;
  EventFd& answer_;
  Vcpu vcpu_;
  std::unique_ptr<PartnerThread> vcpu_thread_;  // runs the vCPU; stopped and joined first
};

}  // namespace fpubench
