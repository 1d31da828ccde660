#include "kvm_irqfd_pingpong.h"

#include "counting.h"
#include "guest_call.h"
#include "tsc_clock.h"

namespace fpubench {

IrqfdPingPong::IrqfdPingPong(const KvmSystem& kvm, const Topology& topology, const Placement& placement,
                             guest_fpu_state guest_state)
    : binding_(topology, placement.first),
      vm_(kvm),
      irq_(vm_.irqfd(0, GUEST_VECTOR_IRQFD)),
      answer_(vm_.ioeventfd(GUEST_IOEVENTFD_PORT)),
      vcpu_(vm_, 0, PAYLOAD_IRQ_PONG, guest_state) {
  thread_ = std::thread([this, &topology, &placement] {
    try {
      vcpu_tid_ = current_tid();
      topology.bind_thread(placement.second);
      expect_call(vm_, vcpu_, PAYLOAD_IRQ_PONG, UCALL_SYNC);
      status_ = 1;
      expect_call(vm_, vcpu_, PAYLOAD_IRQ_PONG, UCALL_DONE);
    } catch (const std::exception& e) {
      error_ = e.what();
      auto* guest = dynamic_cast<const GuestError*>(&e);
      guest_corrupted_ = guest && guest->fpu_corruption();
      status_ = -1;
      answer_.signal();  // do not leave the host thread waiting for an answer that cannot come
    }
  });
  while (status_.load(std::memory_order_acquire) == 0) std::this_thread::yield();
  if (status_ < 0) throw std::runtime_error(stop());
}

IrqfdPingPong::~IrqfdPingPong() { stop(); }

bool IrqfdPingPong::round_trip(uint64_t* ticks) {
  if (status_.load(std::memory_order_relaxed) != 1) return false;
  uint64_t t0 = tsc_begin();
  irq_.signal();
  answer_.wait();
  *ticks = tsc_end() - t0;
  return status_.load(std::memory_order_relaxed) == 1;
}

std::string IrqfdPingPong::stop() {
  if (thread_.joinable()) {
    vm_.percpu(0)->stop = 1;
    irq_.signal();
    thread_.join();
  }
  return error_;
}

}  // namespace fpubench
