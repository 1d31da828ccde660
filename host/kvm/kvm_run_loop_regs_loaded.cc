// Built with -mgeneral-regs-only (see kvm_run_loop.h).
#include "host/kvm/kvm_run_loop.h"

#include "bench/tsc_clock.h"
#include "host/kvm/kvm_ioctl.h"
#include "host/pingpong/pingpong_loop.h"

namespace fpubench {

RunOutcome timed_kvm_run(int vcpu_fd, const kvm_run* run, uint16_t port, StateCheck* host, uint64_t* ticks,
                         int* failed_errno, int64_t inject_ticks) {
  if (host) host->load();
  uint64_t t0 = tsc_begin();
  spin_ticks(inject_ticks);
  int rc = unchecked_kvm_run(vcpu_fd);
  *ticks = tsc_end() - t0;
  int error = errno;
  bool host_ok = !host || host->registers_match();
  if (host) host->unload();
  if (!host_ok) return RunOutcome::kHostStateChanged;
  if (rc != 0) {
    *failed_errno = error;
    return RunOutcome::kFailed;
  }
  bool expected =
      port ? (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT && run->io.port == port)
           : (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write);
  return expected ? RunOutcome::kExpectedExit : RunOutcome::kOtherExit;
}

}  // namespace fpubench
