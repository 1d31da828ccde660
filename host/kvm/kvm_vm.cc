#include "host/kvm/kvm_vm.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bench/errno_error.h"
#include "host/kvm/kvm_flex_ioctl.h"
#include "host/kvm/kvm_ioctl.h"

extern "C" const char fpubench_guest_image_start[], fpubench_guest_image_end[];

namespace fpubench {
namespace {

constexpr uint64_t kPresent = 1, kWritable = 2, kAccessed = 0x20, kDirty = 0x40, kLargePage = 0x80;
constexpr uint64_t kPml4 = GUEST_PAGE_TABLES, kPdpt = kPml4 + 0x1000, kPd = kPdpt + 0x1000;
constexpr unsigned kFirstMsiGsi = 24;  // above the IOAPIC's pins

}  // namespace

Vm::Vm(const KvmSystem& kvm) : kvm_(kvm) {
  fd_ = KVM_IOCTL(kvm.fd(), KVM_CREATE_VM, 0);
  try {
    setup_memory();
    // VMX needs a TSS region for real-mode emulation, and only VMX has the call (EINVAL or
    // ENOTTY elsewhere); our guests never enter real mode, so only a dead VM is an error here.
    try {
      VM_IOCTL(fd_, KVM_SET_TSS_ADDR, 0xfffbd000ul);
    } catch (const KvmIoctlError& e) {
      if (e.vm_killed()) throw;
    }
    VM_IOCTL(fd_, KVM_CREATE_IRQCHIP, 0);
  } catch (...) {
    release();
    throw;
  }
}

Vm::~Vm() { release(); }

void Vm::release() {
  eventfds_.clear();  // closing an eventfd detaches its irqfd/ioeventfd from the VM
  if (memory_) munmap(memory_, GUEST_MEMORY_SIZE);
  memory_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void Vm::setup_memory() {
  void* m = mmap(nullptr, GUEST_MEMORY_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) throw_errno("mmap of guest memory");
  memory_ = static_cast<uint8_t*>(m);
  kvm_userspace_memory_region region{};
  region.slot = 0;
  region.guest_phys_addr = 0;
  region.memory_size = GUEST_MEMORY_SIZE;
  region.userspace_addr = reinterpret_cast<uint64_t>(memory_);
  VM_IOCTL(fd_, KVM_SET_USER_MEMORY_REGION, &region);

  // Identity map of the first 1 GiB with 2 MiB pages: RAM, and GUEST_MMIO_ADDR with no RAM.
  // Accessed and Dirty are set up front: a shadow-paging hypervisor would otherwise have to
  // emulate the CPU setting them, which costs a trap per guest store (measured under PVM).
  *at<uint64_t>(kPml4) = kPdpt | kPresent | kWritable | kAccessed;
  *at<uint64_t>(kPdpt) = kPd | kPresent | kWritable | kAccessed;
  for (uint64_t i = 0; i < 512; ++i)
    at<uint64_t>(kPd)[i] = (i << 21) | kPresent | kWritable | kAccessed | kDirty | kLargePage;

  // GDT: null, 64-bit code (0x08), data (0x10). IRETQ reloads CS and SS from here.
  uint64_t* gdt = at<uint64_t>(GUEST_GDT);
  gdt[0] = 0;
  gdt[1] = 0x00209a0000000000ull;
  gdt[2] = 0x0000920000000000ull;

  size_t image = size_t(fpubench_guest_image_end - fpubench_guest_image_start);
  if (image > GUEST_IMAGE_MAX) throw std::runtime_error("the guest image outgrew GUEST_IMAGE_MAX");
  std::memcpy(at<char>(GUEST_IMAGE_BASE), fpubench_guest_image_start, image);
}

EventFd& Vm::irqfd(unsigned dest, uint8_t vector) {
  auto efd = std::make_unique<EventFd>();
  kvm_irq_routing_entry e{};
  e.gsi = kFirstMsiGsi + unsigned(routes_.size());
  e.type = KVM_IRQ_ROUTING_MSI;
  e.u.msi.address_lo = 0xfee00000u | (dest << 12);  // fixed delivery, physical destination
  e.u.msi.data = vector;
  routes_.push_back(e);
  checked_kvm_result(kvm_set_gsi_routing(fd_, routes_.data(), uint32_t(routes_.size())),
                     "KVM_SET_GSI_ROUTING", "the VM");
  kvm_irqfd irqfd{};
  irqfd.fd = uint32_t(efd->fd());
  irqfd.gsi = e.gsi;
  VM_IOCTL(fd_, KVM_IRQFD, &irqfd);
  eventfds_.push_back(std::move(efd));
  return *eventfds_.back();
}

EventFd& Vm::ioeventfd(uint16_t port) {
  auto efd = std::make_unique<EventFd>();
  kvm_ioeventfd io{};
  io.addr = port;
  io.len = 1;
  io.fd = efd->fd();
  io.flags = KVM_IOEVENTFD_FLAG_PIO;
  VM_IOCTL(fd_, KVM_IOEVENTFD, &io);
  eventfds_.push_back(std::move(efd));
  return *eventfds_.back();
}

}  // namespace fpubench
