/* The guest's tiny runtime: host calls through the mailbox, the IDT, x2APIC, and the dispatch to
 * the payload the host asked for. Built freestanding with -mgeneral-regs-only. */
#include "guest.h"

struct guest_percpu* this_cpu(void) {
  uint64_t p;
  __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
  return (struct guest_percpu*)p;
}

static void copy_string(char* dst, const char* src, unsigned long size) {
  unsigned long i = 0;
  for (; src[i] && i + 1 < size; ++i) dst[i] = src[i];
  dst[i] = 0;
}

void guest_ucall(uint64_t kind, const char* file, uint64_t line, const char* message, uint64_t a0,
                 uint64_t a1, uint64_t a2, uint64_t a3) {
  struct guest_mailbox* m = &this_cpu()->mailbox;
  m->kind = kind;
  m->args[0] = a0;
  m->args[1] = a1;
  m->args[2] = a2;
  m->args[3] = a3;
  m->line = line;
  copy_string(m->file, file, sizeof m->file);
  copy_string(m->message, message, sizeof m->message);
  outb(GUEST_UCALL_PORT, 0);
  /* An assertion or exception is final: the host does not resume us. */
  if (kind == UCALL_ASSERT || kind == UCALL_EXCEPTION || kind == UCALL_FPU_CORRUPT)
    for (;;) __asm__ volatile("cli; hlt");
}

void* memset(void* d, int c, unsigned long n) {
  unsigned char* p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}
void* memcpy(void* d, const void* s, unsigned long n) {
  unsigned char* p = d;
  const unsigned char* q = s;
  while (n--) *p++ = *q++;
  return d;
}

/* IDT: 256 gates, only the stubs in entry.S filled in. */
struct idt_gate {
  uint16_t offset_low, selector;
  uint8_t ist, type_attr;
  uint16_t offset_mid;
  uint32_t offset_high, zero;
};
/* A page of its own: hypervisors with shadow paging may write-protect the page holding the IDT,
 * and then every guest store to anything sharing that page is trapped and emulated (measured at
 * ~1 ms per store burst under the nested PVM backend). 256 gates are exactly 4 KiB. */
static struct idt_gate idt[256] __attribute__((aligned(4096)));
_Static_assert(sizeof idt == 4096, "the IDT fills exactly one page");
static guest_irq_handler handlers[GUEST_MAX_VCPUS][256]; /* per vCPU: each runs its own role */

/* One declaration per interrupt stub in entry.S. */
#define STUB(n) extern char guest_stub_##n[]
STUB(0);
STUB(1);
STUB(2);
STUB(3);
STUB(4);
STUB(5);
STUB(6);
STUB(7);
STUB(8);
STUB(10);
STUB(11);
STUB(12);
STUB(13);
STUB(14);
STUB(16);
STUB(17);
STUB(18);
STUB(19);
STUB(64);
STUB(65);
STUB(255);
#undef STUB

static void set_gate(unsigned vector, void* stub) {
  uint64_t a = (uint64_t)stub;
  idt[vector] = (struct idt_gate){(uint16_t)a, 0x08, 0, 0x8e, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
}

void guest_idt_init(void) {
  void* stubs[][2] = {{guest_stub_0, (void*)0},   {guest_stub_1, (void*)1},   {guest_stub_2, (void*)2},
                      {guest_stub_3, (void*)3},   {guest_stub_4, (void*)4},   {guest_stub_5, (void*)5},
                      {guest_stub_6, (void*)6},   {guest_stub_7, (void*)7},   {guest_stub_8, (void*)8},
                      {guest_stub_10, (void*)10}, {guest_stub_11, (void*)11}, {guest_stub_12, (void*)12},
                      {guest_stub_13, (void*)13}, {guest_stub_14, (void*)14}, {guest_stub_16, (void*)16},
                      {guest_stub_17, (void*)17}, {guest_stub_18, (void*)18}, {guest_stub_19, (void*)19},
                      {guest_stub_64, (void*)64}, {guest_stub_65, (void*)65}, {guest_stub_255, (void*)255}};
  for (unsigned i = 0; i < sizeof stubs / sizeof stubs[0]; ++i)
    set_gate((unsigned)(uint64_t)stubs[i][1], stubs[i][0]);
  struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } idtr = {sizeof idt - 1, (uint64_t)idt};
  __asm__ volatile("lidt %0" : : "m"(idtr));
}

void guest_set_irq_handler(unsigned vector, guest_irq_handler handler) {
  handlers[this_cpu()->vcpu_id][vector & 255] = handler;
}

void guest_interrupt(uint64_t vector, uint64_t error, uint64_t rip) {
  if (vector < 32) guest_ucall(UCALL_EXCEPTION, __FILE__, __LINE__, "exception", vector, error, rip, 0);
  if (vector == 255) return; /* spurious: no EOI */
  this_cpu()->irq_count++;
  guest_irq_handler h = handlers[this_cpu()->vcpu_id][vector];
  if (h) h();
  x2apic_eoi();
}

#define MSR_APIC_BASE 0x1b
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_ICR 0x830

void x2apic_enable(void) {
  wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11) | (1u << 10)); /* enable, x2APIC mode */
  wrmsr(MSR_X2APIC_SVR, 0x1ff); /* software-enable, spurious vector 0xff */
}
void x2apic_send_ipi(uint32_t dest, uint8_t vector) {
  wrmsr(MSR_X2APIC_ICR, ((uint64_t)dest << 32) | vector);
}
void x2apic_eoi(void) { wrmsr(MSR_X2APIC_EOI, 0); }
/* Delivery mode INIT (5), level assert. */
void x2apic_send_init(uint32_t dest) {
  wrmsr(MSR_X2APIC_ICR, ((uint64_t)dest << 32) | (5u << 8) | (1u << 14));
}

void guest_main(uint64_t payload) {
  guest_idt_init();
  run_payload(payload);
  GUEST_DONE();
}
