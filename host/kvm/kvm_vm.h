// A KVM virtual machine for guest payloads: memory with identity-mapped long-mode page tables kept
// in a region the guest never writes, a GDT, an in-kernel irqchip, the embedded payload image,
// MSI routes driven by irqfd, and ioeventfds. Move-only; everything is released on destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/kvm/kvm_system.h"

extern "C" {
#include "guests/include/guest_abi.h"
}

namespace fpubench {

// An eventfd, move-only: what irqfd and ioeventfd speak (kvm_timed_regs_loaded.cc: its signal()
// and wait() run inside timed intervals).
class EventFd {
 public:
  EventFd();  // throws std::runtime_error
  EventFd(EventFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  EventFd& operator=(EventFd&&) = delete;
  EventFd(const EventFd&) = delete;
  ~EventFd();
  int fd() const { return fd_; }
  void signal();    // add 1
  uint64_t wait();  // block until non-zero, return and reset the count

 private:
  int fd_ = -1;
};

class Vm {
 public:
  explicit Vm(const KvmSystem& kvm);  // throws std::runtime_error naming the failing step
  ~Vm();
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  const KvmSystem& kvm() const { return kvm_; }
  int fd() const { return fd_; }
  template <typename T>
  T* at(uint64_t gpa) {
    return reinterpret_cast<T*>(memory_ + gpa);
  }
  guest_percpu* percpu(unsigned vcpu) {
    return at<guest_percpu>(GUEST_PERCPU_BASE + vcpu * GUEST_PERCPU_STRIDE);
  }

  // Writing the returned eventfd delivers `vector` to the vCPU with x2APIC id `dest`.
  EventFd& irqfd(unsigned dest, uint8_t vector);
  // A guest OUT to `port` signals the returned eventfd inside the kernel, without an exit.
  EventFd& ioeventfd(uint16_t port);

 private:
  void setup_memory();
  void release();
  const KvmSystem& kvm_;
  int fd_ = -1;
  uint8_t* memory_ = nullptr;
  std::vector<kvm_irq_routing_entry> routes_;
  std::vector<std::unique_ptr<EventFd>> eventfds_;
};

}  // namespace fpubench
