#include "host/kvm/guest_call.h"

#include <cstdio>

namespace fpubench {
namespace {

const char* vector_name(uint64_t v) {
  static const char* names[] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?",
                                "#TS", "#NP", "#SS", "#GP", "#PF", "?",   "#MF", "#AC", "#MC", "#XM"};
  return v < sizeof names / sizeof names[0] ? names[v] : "?";
}

std::string bounded(const char* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) ++n;
  return std::string(s, n);
}

}  // namespace

const char* payload_name(guest_payload_id id) {
  switch (id) {
#define PAYLOAD_NAME(id, number, name) \
  case id: return #name;
    GUEST_PAYLOADS(PAYLOAD_NAME)
#undef PAYLOAD_NAME
  }
  return "unknown payload";
}

GuestCall decode_exit(Vm& vm, Vcpu& vcpu, guest_payload_id payload) {
  std::string who =
      std::string("guest payload ") + payload_name(payload) + " on vCPU " + std::to_string(vcpu.id());
  if (!vcpu.is_out(GUEST_UCALL_PORT)) {
    const kvm_run& r = vcpu.state();
    throw GuestError(who + ": unexpected " + vcpu.describe_exit(), r.exit_reason,
                     r.exit_reason == KVM_EXIT_INTERNAL_ERROR ? r.internal.suberror : 0);
  }
  const guest_mailbox& m = vm.percpu(vcpu.id())->mailbox;
  GuestCall call;
  call.kind = guest_ucall_kind(m.kind);
  for (int i = 0; i < 4; ++i) call.args[i] = m.args[i];
  char buf[512];
  switch (call.kind) {
    case UCALL_SYNC:
    case UCALL_DONE: return call;
    case UCALL_ASSERT:
      std::snprintf(buf, sizeof buf, ": assertion failed at %s:%llu: %s (0x%llx vs 0x%llx)",
                    bounded(m.file, sizeof m.file).c_str(), static_cast<unsigned long long>(m.line),
                    bounded(m.message, sizeof m.message).c_str(), static_cast<unsigned long long>(m.args[0]),
                    static_cast<unsigned long long>(m.args[1]));
      throw GuestError(who + buf, KVM_EXIT_IO);
    case UCALL_FPU_CORRUPT:
      std::snprintf(buf, sizeof buf,
                    ": the guest's FPU state changed (%s:%llu): state %llu, 8-byte word %llu "
                    "of its register image expected 0x%016llx, found 0x%016llx",
                    bounded(m.file, sizeof m.file).c_str(), static_cast<unsigned long long>(m.line),
                    static_cast<unsigned long long>(m.args[1]),
                    static_cast<unsigned long long>(m.args[0] - 1),
                    static_cast<unsigned long long>(m.args[2]), static_cast<unsigned long long>(m.args[3]));
      throw GuestError(who + buf, KVM_EXIT_IO, 0, true);
    case UCALL_EXCEPTION:
      std::snprintf(buf, sizeof buf,
                    ": unexpected exception %s (vector %llu, error code 0x%llx) at RIP 0x%llx",
                    vector_name(m.args[0]), static_cast<unsigned long long>(m.args[0]),
                    static_cast<unsigned long long>(m.args[1]), static_cast<unsigned long long>(m.args[2]));
      throw GuestError(who + buf, KVM_EXIT_IO);
    default: throw GuestError(who + ": a call of unknown kind " + std::to_string(m.kind), KVM_EXIT_IO);
  }
}

GuestCall run_to_call(Vm& vm, Vcpu& vcpu, guest_payload_id payload) {
  uint32_t reason;
  while ((reason = vcpu.run()) == KVM_EXIT_INTR) {
  }
  return decode_exit(vm, vcpu, payload);
}

GuestCall expect_call(Vm& vm, Vcpu& vcpu, guest_payload_id payload, guest_ucall_kind kind) {
  GuestCall c = run_to_call(vm, vcpu, payload);
  if (c.kind != kind)
    throw GuestError(std::string("guest payload ") + payload_name(payload) + ": expected call kind " +
                         std::to_string(kind) + ", got " + std::to_string(c.kind),
                     KVM_EXIT_IO);
  return c;
}

}  // namespace fpubench
