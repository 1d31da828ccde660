// Benchmarks of KVM's vCPU run loop, kvm/<what>/<variant>: exits to user space (PIO, MMIO) with
// guest and host FPU state init or dirty, exits handled in the kernel, a vCPU woken by irqfd from
// a host thread (same PU or across cores) while it never leaves KVM_RUN, IPIs between two vCPUs,
// and the XSAVE family inside the guest. A guest state other than init is measured in time-paired
// blocks against a guest-init VM of its own (the held side's VM and the init side's alternate). Skipped with
// the reason when /dev/kvm cannot be used or the guest cannot run a variant under this hypervisor.
#pragma once

#include "bench/placement.h"
#include "bench/regstate.h"
#include "bench/topology.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/harness/timed_benchmark.h"
#include "host/kvm/kvm_probe.h"
#include "host/plan/suite_plan.h"

namespace fpubench {

// The machine, and what KVM allows on it.
struct KvmBenchSetup : Machine {
  std::string kvm_unavailable;  // why /dev/kvm cannot be used, "" when it can
  GuestAbilities guest;         // what guests can do under this KVM (when it can be used)
};

void plan_kvm_suite(const KvmBenchSetup& setup, SuitePlan& plan);

}  // namespace fpubench
