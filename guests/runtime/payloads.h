/* The payloads, one function each, and the dispatch from the id the host passes. */
#ifndef FPUBENCH_PAYLOADS_H
#define FPUBENCH_PAYLOADS_H

#include <stdint.h>

void run_payload(uint64_t id);

void guest_selftest_sync(void);
void guest_selftest_assert(void);
void guest_selftest_bad_port(void);
void guest_selftest_ud2(void);
void guest_selftest_fpu_corrupt(void);
void guest_pio_loop(void);
void guest_mmio_loop(void);
void guest_inkernel_exits(void);
void guest_irq_pong(void);
void guest_ipi_pingpong(void);
void guest_xsave_family(void);
void guest_probe_vector(void);
void guest_fpu_state_io(void);
void guest_send_init(void);

#endif
