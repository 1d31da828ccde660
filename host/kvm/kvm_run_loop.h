// KVM_RUN round trips timed from the host thread, with the host thread's own register pattern
// loaded around them and checked after each. Built with -mgeneral-regs-only.
#pragma once

#include <linux/kvm.h>

#include <cstdint>

#include "bench/state_check.h"

namespace fpubench {

enum class RunOutcome { kExpectedExit, kOtherExit, kHostStateChanged, kFailed };

// One KVM_RUN on `vcpu_fd`: `host` (may be null) is loaded before and checked after; `ticks` gets
// the TSC ticks of the ioctl, plus a busy-wait of `inject_ticks` inside the timed interval.
// kExpectedExit when the exit is an OUT to `port` (or an MMIO write when `port` is 0); kFailed with
// `failed_errno` set when the ioctl itself failed (kvm_ioctl.h: describe_kvm_failure).
RunOutcome timed_kvm_run(int vcpu_fd, const kvm_run* run, uint16_t port, StateCheck* host, uint64_t* ticks,
                         int* failed_errno, int64_t inject_ticks = -1);

}  // namespace fpubench
