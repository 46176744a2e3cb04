/*
 * The EL1 exception vector table: 16 entries of 128 bytes, 2 KiB aligned
 * (VBAR_EL1). Nothing is expected to trap: every entry reports the exception in
 * C (traps.c) and ends the run; none returns.
 */
    .macro vector_entry kind
    .balign 0x80
    mov x0, #\kind
    b aarch64_exception_entry
    .endm

    .section .text.aarch64_vectors, "ax"
    .balign 0x800
    .globl aarch64_vectors
aarch64_vectors:
    /* current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64, AArch32;
     * each: synchronous, IRQ, FIQ, SError. */
    .irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    vector_entry \kind
    .endr

aarch64_exception_entry:
    ldr x1, =__stack_top            /* the trap may be a stack overflow */
    mov sp, x1
    mrs x1, esr_el1
    mrs x2, elr_el1
    mrs x3, far_el1
    b aarch64_exception
    .ltorg
