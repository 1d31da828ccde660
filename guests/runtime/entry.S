/* Entry at GUEST_IMAGE_BASE: the host sets RSP, GS base and RDI (the payload id). Then the
 * interrupt stubs: each pushes a vector (and a dummy error code where the CPU pushes none),
 * saves the general registers and calls guest_interrupt(vector, error, rip). */
  .section .text.entry, "ax"
  .globl _start
_start:
  call guest_main
1: hlt
  jmp 1b

  .text
.macro STUB vector, has_error
  .globl guest_stub_\vector
guest_stub_\vector:
  .if \has_error == 0
  pushq $0
  .endif
  pushq $\vector
  jmp guest_common_stub
.endm

  STUB 0, 0
  STUB 1, 0
  STUB 2, 0
  STUB 3, 0
  STUB 4, 0
  STUB 5, 0
  STUB 6, 0
  STUB 7, 0
  STUB 8, 1
  STUB 10, 1
  STUB 11, 1
  STUB 12, 1
  STUB 13, 1
  STUB 14, 1
  STUB 16, 0
  STUB 17, 1
  STUB 18, 0
  STUB 19, 0
  STUB 64, 0
  STUB 65, 0
  STUB 255, 0

guest_common_stub:
  pushq %rax
  pushq %rbx
  pushq %rcx
  pushq %rdx
  pushq %rsi
  pushq %rdi
  pushq %r8
  pushq %r9
  pushq %r10
  pushq %r11
  movq 80(%rsp), %rdi   /* vector */
  movq 88(%rsp), %rsi   /* error code */
  movq 96(%rsp), %rdx   /* RIP at the interruption */
  /* Keep the ABI's 16-byte stack alignment for the C call. */
  movq %rsp, %rbx
  andq $-16, %rsp
  call guest_interrupt
  movq %rbx, %rsp
  popq %r11
  popq %r10
  popq %r9
  popq %r8
  popq %rdi
  popq %rsi
  popq %rdx
  popq %rcx
  popq %rbx
  popq %rax
  addq $16, %rsp
  iretq

  .section .note.GNU-stack, "", @progbits
