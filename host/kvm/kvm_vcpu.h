// One vCPU in 64-bit long mode, started at the payload image's entry with the payload id, its own
// stack and per-vCPU block (GS base). Its CPUID is what KVM_GET_SUPPORTED_CPUID offers.
#pragma once

#include <linux/kvm.h>

#include <string>

#include "host/kvm/kvm_vm.h"

namespace fpubench {

class Vcpu {
 public:
  // Throws KvmIoctlError naming the failing ioctl (kvm_ioctl.h).
  Vcpu(Vm& vm, unsigned id, guest_payload_id payload, uint64_t payload_arg);
  ~Vcpu();
  Vcpu(const Vcpu&) = delete;
  Vcpu& operator=(const Vcpu&) = delete;

  // Puts the vCPU (again) at the payload image's entry in long mode: after creation, and to
  // re-enter a vCPU after an INIT reset.
  void start(guest_payload_id payload, uint64_t payload_arg);

  // One KVM_RUN. Returns the exit reason; a signal interrupting it reads as KVM_EXIT_INTR.
  uint32_t run();
  kvm_run& state() { return *run_; }
  unsigned id() const { return id_; }
  int fd() const { return fd_; }
  // Throws KvmIoctlError when KVM_GET_REGS fails.
  uint64_t rip() const;
  // The vCPU's FPU (x87/SSE), its whole xstate in the XSAVE format, and its multiprocessing state,
  // as KVM holds them while the vCPU is outside KVM_RUN. Each throws std::runtime_error naming the
  // ioctl, the vCPU and errno.
  kvm_fpu fpu() const;
  void set_fpu(const kvm_fpu& fpu);
  kvm_xsave xsave() const;
  void set_xsave(const kvm_xsave& xsave);
  kvm_mp_state mp_state() const;
  void set_mp_state(kvm_mp_state state);
  // "KVM_EXIT_IO out port 0xe3 (1 byte) at RIP 0x200123" and the like.
  std::string describe_exit() const;
  bool is_out(uint16_t port) const {
    return run_->exit_reason == KVM_EXIT_IO && run_->io.direction == KVM_EXIT_IO_OUT && run_->io.port == port;
  }

 private:
  void release();
  std::string target() const;  // "vCPU 1", for messages
  Vm& vm_;
  unsigned id_;
  int fd_ = -1;
  kvm_run* run_ = nullptr;
  bool xsave_ = false;  // the guest CPUID has XSAVE, so CR4.OSXSAVE is set
};

}  // namespace fpubench
