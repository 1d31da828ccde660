// Built with -mgeneral-regs-only (see kvm_timed.h): nothing here touches a vector register, for it
// runs between a thread's pattern load and its check. The eventfd's signal() and wait() too.
#include "host/kvm/kvm_timed.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "bench/errno_error.h"
#include "bench/tsc_clock.h"
#include "host/harness/timed_benchmark.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_ioctl.h"

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

IrqfdPingPong::IrqfdPingPong(const KvmSystem& kvm, const Topology& topology, const Placement& placement,
                             guest_fpu_state guest_state)
    : binding_(topology, placement.first),
      vm_(kvm),
      irq_(vm_.irqfd(0, GUEST_VECTOR_IRQFD)),
      answer_(vm_.ioeventfd(GUEST_IOEVENTFD_PORT)),
      vcpu_(vm_, 0, PAYLOAD_IRQ_PONG, guest_state) {
  vcpu_thread_ = std::make_unique<PartnerThread>(
      [this, &topology, &placement](PartnerThread& me) {
        try {
          topology.bind_thread(placement.second);
          expect_call(vm_, vcpu_, PAYLOAD_IRQ_PONG, UCALL_SYNC);
          me.ready();
          expect_call(vm_, vcpu_, PAYLOAD_IRQ_PONG, UCALL_DONE);
        } catch (...) {
          // Failed first, then woken: the host thread must not count an answer that never came.
          me.status().store(-1, std::memory_order_release);
          answer_.signal();
          throw;
        }
      },
      [this] {
        vm_.percpu(0)->stop = 1;
        irq_.signal();
      });
  if (!vcpu_thread_->wait_ready()) throw std::runtime_error(stop());
}

IrqfdPingPong::~IrqfdPingPong() { stop(); }

bool IrqfdPingPong::round_trip(uint64_t* ticks) {
  if (!vcpu_thread_->running()) return false;
  uint64_t t0 = tsc_begin();
  irq_.signal();
  answer_.wait();
  *ticks = tsc_end() - t0;
  return vcpu_thread_->running();
}

std::string IrqfdPingPong::stop() {
  vcpu_thread_->finish();
  return vcpu_thread_->error();
}

bool IrqfdPingPong::guest_corrupted() { return is_fpu_corruption(vcpu_thread_->finish()); }

EventFd::EventFd() : fd_(eventfd(0, EFD_CLOEXEC)) {
  if (fd_ < 0) throw_errno("eventfd");
}

EventFd::~EventFd() {
  if (fd_ >= 0) close(fd_);
}

void EventFd::signal() {
  uint64_t one = 1;
  while (write(fd_, &one, sizeof one) != ssize_t(sizeof one))
    if (errno != EINTR) throw_errno("eventfd write");
}

uint64_t EventFd::wait() {
  uint64_t v = 0;
  while (read(fd_, &v, sizeof v) != ssize_t(sizeof v))
    if (errno != EINTR) throw_errno("eventfd read");
  return v;
}

}  // namespace fpubench
