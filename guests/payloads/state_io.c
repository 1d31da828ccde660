/* For the host's KVM_GET_FPU / KVM_SET_FPU checks: shows the host where its pattern is, then,
 * after the host has set new register values, stores what the registers hold. */
#include "guest.h"
#include "payloads.h"

void guest_fpu_state_io(void) {
  guest_fpu_load(GUEST_FPU_SSE, 300 + this_cpu()->vcpu_id);
  GUEST_SYNC(guest_fpu_expected());
  GUEST_SYNC(guest_fpu_snapshot(GUEST_FPU_SSE));
}
