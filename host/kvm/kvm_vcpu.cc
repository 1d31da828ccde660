#include "host/kvm/kvm_vcpu.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "bench/errno_error.h"
#include "host/kvm/kvm_flex_ioctl.h"
#include "host/kvm/kvm_ioctl.h"
#include "host/kvm/kvm_system.h"

namespace fpubench {
namespace {

constexpr uint64_t kCr0Pe = 1, kCr0Mp = 2, kCr0Et = 0x10, kCr0Ne = 0x20, kCr0Wp = 0x10000,
                   kCr0Pg = 0x80000000ull;
constexpr uint64_t kCr4Pae = 0x20, kCr4Osfxsr = 0x200, kCr4Osxmmexcpt = 0x400, kCr4Osxsave = 0x40000;
constexpr uint64_t kEferLme = 0x100, kEferLma = 0x400;

kvm_segment segment(uint16_t selector, uint8_t type, bool code) {
  kvm_segment s{};
  s.base = 0;
  s.limit = 0xffffffff;
  s.selector = selector;
  s.type = type;
  s.present = 1;
  s.s = 1;
  s.g = 1;
  s.l = code ? 1 : 0;
  s.db = code ? 0 : 1;
  return s;
}

const char* exit_name(uint32_t reason) {
  switch (reason) {
    case KVM_EXIT_IO: return "KVM_EXIT_IO";
    case KVM_EXIT_MMIO: return "KVM_EXIT_MMIO";
    case KVM_EXIT_HLT: return "KVM_EXIT_HLT";
    case KVM_EXIT_SHUTDOWN: return "KVM_EXIT_SHUTDOWN (triple fault)";
    case KVM_EXIT_FAIL_ENTRY: return "KVM_EXIT_FAIL_ENTRY";
    case KVM_EXIT_INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR";
    case KVM_EXIT_INTR: return "KVM_EXIT_INTR";
    case KVM_EXIT_SYSTEM_EVENT: return "KVM_EXIT_SYSTEM_EVENT";
    default: return "KVM exit";
  }
}

}  // namespace

Vcpu::Vcpu(Vm& vm, unsigned id, guest_payload_id payload, uint64_t payload_arg) : vm_(vm), id_(id) {
  if (id >= GUEST_MAX_VCPUS) throw std::invalid_argument("too many vCPUs for the guest layout");
  fd_ = VM_IOCTL(vm.fd(), KVM_CREATE_VCPU, id);
  try {
    void* r = mmap(nullptr, size_t(vm.kvm().vcpu_mmap_size()), PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (r == MAP_FAILED) throw_errno("mmap of kvm_run");
    run_ = static_cast<kvm_run*>(r);

    std::vector<kvm_cpuid_entry2> cpuid = vm.kvm().supported_cpuid();
    bool xsave = cpu_has(KvmCpuid(vm.kvm()), CpuFeature::kXsave);
    for (kvm_cpuid_entry2& e : cpuid) {
      if (e.function != kCpuidLeafFeatures) continue;
      CpuidRegs r = regs_of(e);
      // OSXSAVE mirrors CR4.OSXSAVE, which we set below whenever the guest has XSAVE.
      set_feature(r, CpuFeature::kOsxsave, xsave);
      set_initial_apic_id(r, uint8_t(id));
      set_regs(e, r);
    }
    checked_kvm_result(kvm_set_cpuid2(fd_, cpuid.data(), uint32_t(cpuid.size())), "KVM_SET_CPUID2", target());

    xsave_ = xsave;
    start(payload, payload_arg);
  } catch (...) {
    release();
    throw;
  }
}

Vcpu::~Vcpu() { release(); }

void Vcpu::start(guest_payload_id payload, uint64_t payload_arg) {
  kvm_sregs sregs{};
  VCPU_IOCTL(fd_, id_, KVM_GET_SREGS, &sregs);
  sregs.cs = segment(0x08, 0xb, true);
  sregs.ds = sregs.es = sregs.fs = sregs.ss = segment(0x10, 0x3, false);
  sregs.gs = segment(0x10, 0x3, false);
  uint64_t percpu = GUEST_PERCPU_BASE + id_ * GUEST_PERCPU_STRIDE;
  sregs.gs.base = percpu;
  sregs.tr = kvm_segment{};
  sregs.tr.limit = 0x67;
  sregs.tr.type = 0xb;  // busy 64-bit TSS: VM entry wants a usable TR
  sregs.tr.present = 1;
  sregs.gdt.base = GUEST_GDT;
  sregs.gdt.limit = 3 * 8 - 1;
  sregs.cr0 = kCr0Pe | kCr0Mp | kCr0Et | kCr0Ne | kCr0Wp | kCr0Pg;
  sregs.cr3 = GUEST_PAGE_TABLES;
  sregs.cr4 = kCr4Pae | kCr4Osfxsr | kCr4Osxmmexcpt | (xsave_ ? kCr4Osxsave : 0);
  sregs.efer = kEferLme | kEferLma;
  VCPU_IOCTL(fd_, id_, KVM_SET_SREGS, &sregs);

  guest_percpu* p = vm_.percpu(id_);
  std::memset(p, 0, sizeof *p);
  p->self = percpu;
  p->vcpu_id = id_;
  p->payload_arg = payload_arg;

  kvm_regs regs{};
  regs.rip = GUEST_IMAGE_BASE;
  regs.rsp = GUEST_STACKS_BASE + (id_ + 1) * GUEST_STACK_SIZE;
  regs.rdi = payload;
  regs.rflags = 0x2;
  VCPU_IOCTL(fd_, id_, KVM_SET_REGS, &regs);
  // With the in-kernel LAPIC every vCPU but the first would wait for INIT/SIPI; ours start at
  // the entry point directly.
  set_mp_state({KVM_MP_STATE_RUNNABLE});
}

kvm_fpu Vcpu::fpu() const {
  kvm_fpu fpu{};
  VCPU_IOCTL(fd_, id_, KVM_GET_FPU, &fpu);
  return fpu;
}
void Vcpu::set_fpu(const kvm_fpu& fpu) { VCPU_IOCTL(fd_, id_, KVM_SET_FPU, &fpu); }
kvm_xsave Vcpu::xsave() const {
  kvm_xsave xsave{};
  VCPU_IOCTL(fd_, id_, KVM_GET_XSAVE, &xsave);
  return xsave;
}
void Vcpu::set_xsave(const kvm_xsave& xsave) { VCPU_IOCTL(fd_, id_, KVM_SET_XSAVE, &xsave); }
kvm_mp_state Vcpu::mp_state() const {
  kvm_mp_state state{};
  VCPU_IOCTL(fd_, id_, KVM_GET_MP_STATE, &state);
  return state;
}
void Vcpu::set_mp_state(kvm_mp_state state) { VCPU_IOCTL(fd_, id_, KVM_SET_MP_STATE, &state); }

std::string Vcpu::target() const { return "vCPU " + std::to_string(id_); }

void Vcpu::release() {
  if (run_) munmap(run_, size_t(vm_.kvm().vcpu_mmap_size()));
  run_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

uint32_t Vcpu::run() {
  if (unchecked_kvm_run(fd_) != 0) {
    if (errno == EINTR || errno == EAGAIN) return KVM_EXIT_INTR;
    throw KvmIoctlError("KVM_RUN", target(), errno);
  }
  return run_->exit_reason;
}

uint64_t Vcpu::rip() const {
  kvm_regs regs{};
  VCPU_IOCTL(fd_, id_, KVM_GET_REGS, &regs);
  return regs.rip;
}

std::string Vcpu::describe_exit() const {
  char buf[256];
  const kvm_run& r = *run_;
  unsigned long long rip;
  try {
    rip = this->rip();
  } catch (const KvmIoctlError& e) {  // the exit is still worth naming
    return std::string(exit_name(r.exit_reason)) + " at an unknown RIP (" + e.what() + ")";
  }
  switch (r.exit_reason) {
    case KVM_EXIT_IO:
      std::snprintf(buf, sizeof buf, "KVM_EXIT_IO %s port 0x%x (%u byte%s) at RIP 0x%llx",
                    r.io.direction == KVM_EXIT_IO_OUT ? "out" : "in", r.io.port, r.io.size,
                    r.io.size == 1 ? "" : "s", rip);
      break;
    case KVM_EXIT_MMIO:
      std::snprintf(buf, sizeof buf, "KVM_EXIT_MMIO %s 0x%llx at RIP 0x%llx",
                    r.mmio.is_write ? "write" : "read", static_cast<unsigned long long>(r.mmio.phys_addr),
                    rip);
      break;
    case KVM_EXIT_INTERNAL_ERROR:
      std::snprintf(buf, sizeof buf, "KVM_EXIT_INTERNAL_ERROR suberror %u%s at RIP 0x%llx",
                    r.internal.suberror,
                    r.internal.suberror == KVM_INTERNAL_ERROR_EMULATION ? " (emulation failure)" : "", rip);
      break;
    case KVM_EXIT_FAIL_ENTRY:
      std::snprintf(buf, sizeof buf, "KVM_EXIT_FAIL_ENTRY reason 0x%llx at RIP 0x%llx",
                    static_cast<unsigned long long>(r.fail_entry.hardware_entry_failure_reason), rip);
      break;
    default:
      std::snprintf(buf, sizeof buf, "%s (%u) at RIP 0x%llx", exit_name(r.exit_reason), r.exit_reason, rip);
  }
  return buf;
}

}  // namespace fpubench
