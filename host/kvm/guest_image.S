/* The flattened guest payload image (guests/), embedded in the binary. */
  .section .rodata
  .balign 64
  .globl fpubench_guest_image_start, fpubench_guest_image_end
fpubench_guest_image_start:
  .incbin FPUBENCH_GUEST_BIN
fpubench_guest_image_end:
  .section .note.GNU-stack, "", @progbits
