/* For the host's KVM_GET_FPU / KVM_SET_FPU and INIT checks: shows the host where its pattern is, then,
 * after the host has set new register values, stores what the registers hold. */
#include "guest.h"
#include "payloads.h"

void guest_fpu_state_io(void) {
  guest_fpu_load(GUEST_FPU_SSE, 300 + this_cpu()->vcpu_id);
  GUEST_SYNC(guest_fpu_expected());
  GUEST_SYNC(guest_fpu_snapshot(GUEST_FPU_SSE));
}

/* The INIT that resets another vCPU: the path of KVM's 2017 "Bad FPU state" splat. */
void guest_send_init(void) {
  x2apic_enable();
  x2apic_send_init((uint32_t)this_cpu()->payload_arg);
  GUEST_SYNC(0);
}
