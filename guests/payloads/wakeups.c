/* Wake-ups that never leave KVM_RUN: an interrupt from the host through irqfd, answered through an
 * ioeventfd; and IPIs between two vCPUs. Both halt between rounds, so the vCPU threads are
 * scheduled out and in while staying inside KVM_RUN. */
#include "guest.h"
#include "payloads.h"

static void kick_host(void) { outb(GUEST_IOEVENTFD_PORT, 0); }

void guest_irq_pong(void) {
  unsigned state = (unsigned)this_cpu()->payload_arg;
  uint64_t seed = 200 + this_cpu()->vcpu_id;
  guest_set_irq_handler(GUEST_VECTOR_IRQFD, kick_host);
  x2apic_enable();
  guest_enable_xstate();
  guest_fpu_load(state, seed);
  GUEST_SYNC(0); /* ready */
  for (uint64_t wakeups = 1; !this_cpu()->stop; ++wakeups) {
    sti_hlt();
    cli();
    if (wakeups % GUEST_CHECK_INTERVAL == 0) GUEST_FPU_CHECK(state);
  }
  GUEST_FPU_CHECK(state);
}

static void ipi_arrived(void) { this_cpu()->flag = 1; }
static void ipi_answer(void) { x2apic_send_ipi(0, GUEST_VECTOR_IPI); }

void guest_ipi_pingpong(void) {
  struct guest_percpu* me = this_cpu();
  x2apic_enable();
  guest_set_irq_handler(GUEST_VECTOR_IRQFD, 0); /* the host's "look at stop" kick */
  if (me->vcpu_id != 0) {
    guest_set_irq_handler(GUEST_VECTOR_IPI, ipi_answer);
    GUEST_SYNC(0); /* ready: IPIs sent before this would find our APIC disabled and be lost */
    while (!me->stop) {
      sti_hlt();
      cli();
    }
    return;
  }
  guest_set_irq_handler(GUEST_VECTOR_IPI, ipi_arrived);
  GUEST_SYNC(0); /* ready; the host starts vCPU 1 before resuming us */
  while (!me->stop) {
    uint64_t total = 0;
    for (int i = 0; i < 64; ++i) {
      me->flag = 0;
      uint64_t t0 = rdtsc_ordered();
      x2apic_send_ipi(1, GUEST_VECTOR_IPI);
      while (!me->flag) {
        sti_hlt();
        cli();
      }
      me->samples[i] = rdtsc_ordered() - t0;
      total += me->samples[i];
    }
    GUEST_SYNC4(total, 64, 0, 0);
  }
}
