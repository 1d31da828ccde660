#include "host/kvm/kvm_probe.h"

#include "bench/xstate.h"
#include "host/kvm/guest_call.h"
#include "host/kvm/kvm_system.h"
#include "host/kvm/kvm_vcpu.h"

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
  KvmCpuid guest(kvm);
  bool xsave = cpu_has(guest, CpuFeature::kXsave), avx = cpu_has(guest, CpuFeature::kAvx),
       avx512 = cpu_has(guest, CpuFeature::kAvx512F);
  uint64_t offered_xcr0 = xstate_leaf(guest).supported_xcr0;
  auto offered = [](bool has, const char* what) {
    return has ? std::string()
               : std::string("the guest CPU KVM offers (KVM_GET_SUPPORTED_CPUID) has no ") + what;
  };
  a.xsave_unavailable = offered(xsave, "XSAVE");
  a.avx_unavailable = offered(xsave && avx, "AVX (or no XSAVE to enable it)");
  a.avx512_unavailable =
      offered(xsave && avx512 && (offered_xcr0 & kAvx512Components) == kAvx512Components, "AVX-512");
  if (a.xsave_unavailable.empty()) a.xsave_unavailable = run_probe(kvm, GUEST_PROBE_XSAVE, "XSAVE");
  if (a.avx_unavailable.empty()) a.avx_unavailable = run_probe(kvm, GUEST_PROBE_AVX, "AVX");
  if (a.avx512_unavailable.empty()) a.avx512_unavailable = run_probe(kvm, GUEST_PROBE_AVX512, "AVX-512");
  a.xsaves = xsave && cpu_has(guest, CpuFeature::kXsaves);
  // What the guest enables: x87/SSE always, AVX and AVX-512 as offered (payloads know no more).
  a.xcr0 = xsave ? (offered_xcr0 & kAvx512Components) : kSseComponents;
  return a;
}

}  // namespace

const GuestAbilities& guest_abilities(const KvmSystem& kvm) {
  static const GuestAbilities abilities = probe(kvm);
  return abilities;
}

}  // namespace fpubench
