/* The guest runtime as payloads see it: calls to the host (GUEST_SYNC, GUEST_ASSERT, GUEST_DONE
 * in the manner of the kernel's KVM selftests), per-vCPU data, interrupts, x2APIC, TSC, MSRs. */
#ifndef FPUBENCH_GUEST_H
#define FPUBENCH_GUEST_H

#include "guest_abi.h"

struct guest_percpu* this_cpu(void);
/* Provided by the payloads (payloads/dispatch.c): runs the payload the host asked for. */
void run_payload(uint64_t id);
void guest_ucall(uint64_t kind, const char* file, uint64_t line, const char* message, uint64_t a0,
                 uint64_t a1, uint64_t a2, uint64_t a3);

#define GUEST_SYNC4(a, b, c, d) guest_ucall(UCALL_SYNC, __FILE__, __LINE__, "", (a), (b), (c), (d))
#define GUEST_SYNC(a) GUEST_SYNC4((a), 0, 0, 0)
#define GUEST_DONE() guest_ucall(UCALL_DONE, __FILE__, __LINE__, "", 0, 0, 0, 0)
/* Reports the two values it compares, so a failure on the host reads "a == b (3 vs 4)". */
#define GUEST_ASSERT_EQ(a, b)                                                                \
  do {                                                                                       \
    uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                         \
    if (a_ != b_) guest_ucall(UCALL_ASSERT, __FILE__, __LINE__, #a " == " #b, a_, b_, 0, 0); \
  } while (0)
#define GUEST_ASSERT(cond)                                                         \
  do {                                                                             \
    if (!(cond)) guest_ucall(UCALL_ASSERT, __FILE__, __LINE__, #cond, 0, 0, 0, 0); \
  } while (0)

/* The guest's FPU registers must still hold the pattern of the last guest_fpu_load(); a
 * difference is reported as corruption (the run fails), not as an ordinary assertion. */
#define GUEST_FPU_CHECK(state)                                                              \
  do {                                                                                      \
    uint64_t word_ = guest_fpu_check((state), 0);                                           \
    if (word_)                                                                              \
      guest_ucall(UCALL_FPU_CORRUPT, __FILE__, __LINE__, "guest FPU state", word_, (state), \
                  guest_fpu_word(0, word_ - 1), guest_fpu_word(1, word_ - 1));              \
  } while (0)

typedef void (*guest_irq_handler)(void);
/* For the calling vCPU only. */
void guest_set_irq_handler(unsigned vector, guest_irq_handler handler);
void guest_idt_init(void);

static inline uint64_t rdtsc_ordered(void) {
  uint32_t lo, hi;
  __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
  return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t rdmsr(uint32_t msr) {
  uint32_t lo, hi;
  __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline void outb(uint16_t port, uint8_t v) {
  __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
/* STI takes effect after the next instruction, so no interrupt slips in between. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

void x2apic_enable(void);
void x2apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
void x2apic_send_init(uint32_t dest_apic_id);
void x2apic_eoi(void);

/* Guest FPU state: a pattern per guest_fpu_state, and a check of it. */
void guest_enable_xstate(void); /* XSETBV to everything CPUID offers, when it offers XSAVE */
void guest_fpu_load(unsigned state, uint64_t seed);
/* 0 when the registers hold the pattern, else 1 + the index of the first differing 8 bytes. */
uint64_t guest_fpu_check(unsigned state, uint64_t seed);
/* Word `index` of the expected (which = 0) or last found (which = 1) register image. */
uint64_t guest_fpu_word(int which, uint64_t index);
/* Guest-physical addresses of the last pattern loaded, and of the registers stored just now. */
uint64_t guest_fpu_expected(void);
uint64_t guest_fpu_snapshot(unsigned state);

void* memset(void* d, int c, unsigned long n);
void* memcpy(void* d, const void* s, unsigned long n);

#endif
