// The host side of the guest call channel: a guest OUT to GUEST_UCALL_PORT means "read my
// mailbox". SYNC and DONE come back to the caller; a failed GUEST_ASSERT, a guest exception and
// any exit that is not a call become a GuestError that names the payload, the exit and the RIP.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "host/harness/timed_benchmark.h"
#include "host/kvm/kvm_vcpu.h"
#include "host/kvm/kvm_vm.h"

namespace fpubench {

struct GuestCall {
  guest_ucall_kind kind = UCALL_NONE;
  uint64_t args[4] = {};
};

// fpu_corruption(): the guest found its FPU registers changed (UCALL_FPU_CORRUPT).
class GuestError : public StateError {
 public:
  GuestError(const std::string& what, uint32_t exit_reason, uint32_t suberror = 0,
             bool fpu_corruption = false)
      : StateError(what, fpu_corruption), exit_reason_(exit_reason), suberror_(suberror) {}
  // The hypervisor could not emulate an instruction (KVM_EXIT_INTERNAL_ERROR, suberror 1): the
  // guest asked for something this KVM backend cannot do, rather than a bug in the guest.
  bool emulation_failure() const {
    return exit_reason_ == KVM_EXIT_INTERNAL_ERROR && suberror_ == KVM_INTERNAL_ERROR_EMULATION;
  }

 private:
  uint32_t exit_reason_, suberror_;
};

const char* payload_name(guest_payload_id id);

// Runs until the guest calls; KVM_EXIT_INTR is resumed.
GuestCall run_to_call(Vm& vm, Vcpu& vcpu, guest_payload_id payload);
// After an exit: the call it carries (SYNC/DONE), or a GuestError for anything else.
GuestCall decode_exit(Vm& vm, Vcpu& vcpu, guest_payload_id payload);
// Expects exactly `kind` next.
GuestCall expect_call(Vm& vm, Vcpu& vcpu, guest_payload_id payload, guest_ucall_kind kind);

}  // namespace fpubench
