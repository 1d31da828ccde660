#include "kvm_probe.h"

#include "guest_call.h"
#include "kvm_vcpu.h"

namespace fpubench {
namespace {

std::string run_probe(const KvmSystem& kvm, guest_probe probe, const char* what) {
  try {
    Vm vm(kvm);
    Vcpu vcpu(vm, 0, PAYLOAD_PROBE_VECTOR, probe);
    expect_call(vm, vcpu, PAYLOAD_PROBE_VECTOR, UCALL_SYNC);
    return "";
  } catch (const GuestError& e) {
    if (e.emulation_failure())
      return std::string("the guest cannot run ") + what + " under this hypervisor (" + e.what() + ")";
    return std::string("probing ") + what + " in the guest failed: " + e.what();
  } catch (const std::exception& e) {
    return std::string("probing ") + what + " in the guest failed: " + e.what();
  }
}

GuestAbilities probe(const KvmSystem& kvm) {
  GuestAbilities a;
  kvm_cpuid_entry2 l1 = kvm.cpuid_entry(1), l7 = kvm.cpuid_entry(7), ld = kvm.cpuid_entry(0xd, 0),
                   ld1 = kvm.cpuid_entry(0xd, 1);
  bool xsave = l1.ecx & (1u << 26), avx = l1.ecx & (1u << 28), avx512 = l7.ebx & (1u << 16);
  auto offered = [](bool has, const char* what) {
    return has ? std::string() : std::string("the guest CPU KVM offers (KVM_GET_SUPPORTED_CPUID) has no ") + what;
  };
  a.xsave_unavailable = offered(xsave, "XSAVE");
  a.avx_unavailable = offered(xsave && avx, "AVX (or no XSAVE to enable it)");
  a.avx512_unavailable = offered(xsave && avx512 && (ld.eax & 0xe0) == 0xe0, "AVX-512");
  if (a.xsave_unavailable.empty()) a.xsave_unavailable = run_probe(kvm, GUEST_PROBE_XSAVE, "XSAVE");
  if (a.avx_unavailable.empty()) a.avx_unavailable = run_probe(kvm, GUEST_PROBE_AVX, "AVX");
  if (a.avx512_unavailable.empty()) a.avx512_unavailable = run_probe(kvm, GUEST_PROBE_AVX512, "AVX-512");
  a.xsaves = xsave && (ld1.eax & (1u << 3));
  a.xcr0 = xsave ? ((uint64_t(ld.edx) << 32 | ld.eax) & 0xe7) : 0x3;
  return a;
}

}  // namespace

const GuestAbilities& guest_abilities(const KvmSystem& kvm) {
  static const GuestAbilities abilities = probe(kvm);
  return abilities;
}

}  // namespace fpubench
