#include "guest.h"
#include "payloads.h"

void run_payload(uint64_t id) {
  switch (id) {
    case PAYLOAD_SELFTEST_SYNC: guest_selftest_sync(); break;
    case PAYLOAD_SELFTEST_ASSERT: guest_selftest_assert(); break;
    case PAYLOAD_SELFTEST_BAD_PORT: guest_selftest_bad_port(); break;
    case PAYLOAD_SELFTEST_UD2: guest_selftest_ud2(); break;
    case PAYLOAD_SELFTEST_FPU_CORRUPT: guest_selftest_fpu_corrupt(); break;
    case PAYLOAD_PIO_LOOP: guest_pio_loop(); break;
    case PAYLOAD_MMIO_LOOP: guest_mmio_loop(); break;
    case PAYLOAD_INKERNEL_EXITS: guest_inkernel_exits(); break;
    case PAYLOAD_IRQ_PONG: guest_irq_pong(); break;
    case PAYLOAD_IPI_PINGPONG: guest_ipi_pingpong(); break;
    case PAYLOAD_XSAVE_FAMILY: guest_xsave_family(); break;
    case PAYLOAD_PROBE_VECTOR: guest_probe_vector(); break;
    case PAYLOAD_FPU_STATE_IO: guest_fpu_state_io(); break;
    case PAYLOAD_SEND_INIT: guest_send_init(); break;
    default: GUEST_ASSERT_EQ(id, 0);  /* an id the host knows and this image does not */
  }
}
