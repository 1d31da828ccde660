// A host thread and a halted vCPU wake each other: the host writes an irqfd, the guest's handler
// answers through an ioeventfd. The vCPU thread never leaves KVM_RUN, it is only scheduled out and
// in: the scenario KVM's 2017 FPU change was about. Owns the VM and the vCPU thread.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "bench/partner_thread.h"
#include "bench/placement.h"
#include "bench/topology.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"

namespace fpubench {

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
