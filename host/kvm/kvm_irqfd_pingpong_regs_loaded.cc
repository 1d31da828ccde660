#include "host/kvm/kvm_irqfd_pingpong.h"

#include "bench/tsc_clock.h"
#include "host/harness/counting.h"
#include "host/kvm/guest_call.h"

namespace fpubench {

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

}  // namespace fpubench
