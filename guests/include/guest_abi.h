/* What the host (host/kvm/) and the guest payloads (guests/) agree on: guest memory layout,
 * I/O ports, the call mailbox, payload ids and interrupt vectors. Plain C, used by both sides. */
#ifndef FPUBENCH_GUEST_ABI_H
#define FPUBENCH_GUEST_ABI_H

#include <stdint.h>

/* Guest physical = guest virtual (identity-mapped with 2 MiB pages over the first 1 GiB). */
#define GUEST_PAGE_TABLES 0x1000ull /* PML4, PDPT, PD: in the first 2 MiB, never written by the guest */
#define GUEST_GDT 0x8000ull
#define GUEST_IDT 0x9000ull
#define GUEST_IMAGE_BASE 0x200000ull /* the payload image: code, data, bss */
#define GUEST_IMAGE_MAX 0x200000ull
#define GUEST_PERCPU_BASE 0x400000ull /* struct guest_percpu per vCPU; the guest's GS base */
#define GUEST_PERCPU_STRIDE 0x1000ull
#define GUEST_STACKS_BASE 0x600000ull /* vCPU n's stack ends at base + (n + 1) * size */
#define GUEST_STACK_SIZE 0x10000ull
#define GUEST_MAX_VCPUS 8
#define GUEST_MEMORY_SIZE 0x800000ull /* 8 MiB of RAM */
#define GUEST_MMIO_ADDR 0x30000000ull /* mapped by the page tables, backed by no memory: MMIO exits */

/* Ports. */
#define GUEST_UCALL_PORT 0xe0     /* "look at my mailbox" */
#define GUEST_BENCH_PORT 0xe1     /* a plain exit to user space, for exit round trips */
#define GUEST_IOEVENTFD_PORT 0xe2 /* registered with KVM_IOEVENTFD: handled in the kernel */
#define GUEST_UNKNOWN_PORT 0xe3   /* nobody's: for testing how unexpected exits are reported */

/* Interrupt vectors. */
#define GUEST_VECTOR_IRQFD 0x40 /* delivered by the host through irqfd + MSI routing */
#define GUEST_VECTOR_IPI 0x41   /* vCPU to vCPU */

enum guest_ucall_kind {
  UCALL_NONE = 0,
  UCALL_SYNC = 1,        /* args carry values for the host; the guest continues after */
  UCALL_ASSERT = 2,      /* a GUEST_ASSERT failed: file, line, message, two values */
  UCALL_DONE = 3,        /* the payload returned */
  UCALL_EXCEPTION = 4,   /* an unexpected exception: args[0] vector, [1] error code, [2] RIP */
  UCALL_FPU_CORRUPT = 5, /* the guest's registers differ from its pattern: args[0] first differing
                            8-byte word + 1, [1] the guest_fpu_state, [2] expected, [3] found */
};

#define GUEST_UCALL_ARGS 6
struct guest_mailbox {
  uint64_t kind;
  uint64_t args[GUEST_UCALL_ARGS];
  uint64_t line;
  char file[64];
  char message[128];
};

/* Per-vCPU block at GUEST_PERCPU_BASE + n * GUEST_PERCPU_STRIDE; %gs points at it. */
struct guest_percpu {
  uint64_t self; /* its own address, so that C can read %gs:0 */
  uint64_t vcpu_id;
  uint64_t payload_arg; /* from the host: what variant to run */
  uint64_t irq_count;   /* interrupts taken */
  uint64_t flag;        /* set by an interrupt handler, cleared by the payload */
  uint64_t stop;        /* set by the host: finish at the next wake-up */
  uint64_t samples[64]; /* per-round-trip TSC ticks of the last batch, for the host */
  struct guest_mailbox mailbox;
};

/* Every guest payload, once: X(ID, number, name). The guest runs guest_<name>() for ID (its
 * dispatch in payloads/), and the host names it "<name>" in errors. */
#define GUEST_PAYLOADS(X)                                                                                 \
  X(PAYLOAD_SELFTEST_SYNC, 1, selftest_sync)               /* echo: SYNC(arg, arg + 1, ...) then DONE */  \
  X(PAYLOAD_SELFTEST_ASSERT, 2, selftest_assert)           /* GUEST_ASSERT that fails */                  \
  X(PAYLOAD_SELFTEST_BAD_PORT, 3, selftest_bad_port)       /* writes to GUEST_UNKNOWN_PORT */             \
  X(PAYLOAD_SELFTEST_UD2, 4, selftest_ud2)                 /* executes UD2 */                             \
  X(PAYLOAD_SELFTEST_FPU_CORRUPT, 5, selftest_fpu_corrupt) /* clobbers its SSE pattern, checks */         \
  X(PAYLOAD_PIO_LOOP, 10, pio_loop)                        /* OUT to GUEST_BENCH_PORT forever */          \
  X(PAYLOAD_MMIO_LOOP, 11, mmio_loop)                      /* store to GUEST_MMIO_ADDR forever */         \
  X(PAYLOAD_INKERNEL_EXITS, 12, inkernel_exits)            /* CPUID / RDMSR / ioeventfd batches, timed */ \
  X(PAYLOAD_IRQ_PONG, 13, irq_pong)         /* HLT; on the irqfd vector, kick the ioeventfd */            \
  X(PAYLOAD_IPI_PINGPONG, 14, ipi_pingpong) /* vCPU 0 and 1 wake each other with IPIs */                  \
  X(PAYLOAD_XSAVE_FAMILY, 15, xsave_family) /* XSAVE-family batches at CPL0, timed inside */              \
  X(PAYLOAD_PROBE_VECTOR, 16, probe_vector) /* touches AVX / AVX-512 / XSAVE, reports */                  \
  X(PAYLOAD_FPU_STATE_IO, 17, fpu_state_io) /* SYNC(its XMM pattern), SYNC(its XMM after) */              \
  X(PAYLOAD_SEND_INIT, 18, send_init)       /* INIT to the vCPU with APIC id payload_arg */

#define GUEST_PAYLOAD_ENUM(id, number, name) id = number,
enum guest_payload_id { GUEST_PAYLOADS(GUEST_PAYLOAD_ENUM) };
#undef GUEST_PAYLOAD_ENUM

/* payload_arg for the FPU-holding payloads: which state the guest keeps dirty. */
enum guest_fpu_state { GUEST_FPU_INIT = 0, GUEST_FPU_SSE = 1, GUEST_FPU_AVX = 2, GUEST_FPU_AVX512 = 3 };

/* payload_arg for PAYLOAD_INKERNEL_EXITS and PAYLOAD_PROBE_VECTOR. */
enum guest_inkernel_exit { GUEST_EXIT_CPUID = 0, GUEST_EXIT_RDMSR = 1, GUEST_EXIT_IOEVENTFD = 2 };
enum guest_probe {
  GUEST_PROBE_AVX = 0,
  GUEST_PROBE_AVX512 = 1,
  GUEST_PROBE_XSAVE = 2,
  GUEST_PROBE_XGETBV = 3
};
/* PAYLOAD_XSAVE_FAMILY: payload_arg = (instruction << 32) | requested-feature bitmap. */
enum guest_xsave_insn {
  GUEST_XSAVE = 0,
  GUEST_XSAVEOPT = 1,
  GUEST_XSAVEC = 2,
  GUEST_XSAVES = 3,
  GUEST_XRSTOR = 4,
  GUEST_XRSTORS = 5
};
#define GUEST_INKERNEL_BATCH 64
/* How often the exit and wake-up loops check their FPU pattern: every exit would make the check,
 * not the exit, what is measured where guest code runs slowly (under nested PVM every guest
 * instruction costs ~0.3 us). A mismatch is still caught, and reported with the exit count. */
#define GUEST_CHECK_INTERVAL 256

#endif
