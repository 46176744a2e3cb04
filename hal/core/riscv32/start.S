/*
 * RISC-V (RV32, machine mode) reset: the first instructions of the image.
 *
 * The linker script puts .text.start first, at the address the machine starts
 * from (QEMU virt: 0x80000000 with -bios none; FE310: the XIP flash). From here:
 * park every hart but hart 0, set gp and sp, guard the stack's lower end with a
 * PMP entry, point mtvec at the trap handler,
 * copy .data from its load address, zero .bss, bring the board up, run the app
 * and hand its status to hal_exit.
 */
#define STACK_GUARD_BYTES 128 /* as the linker script reserves */
#define PMPCFG_L 0x80           /* locked: applies to machine mode */
#define PMPCFG_A_NAPOT 0x18     /* naturally aligned power-of-two region */

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    /* gp first and without relaxation: the assembler would otherwise turn this
     * very load into a gp-relative one. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop

    csrci mstatus, 0x8          /* MIE off: nothing interrupts start-up */
    csrw mie, zero
    la t0, riscv_trap_entry
    csrw mtvec, t0              /* direct mode: the handler is 4-byte aligned */

    csrr t0, mhartid
    bnez t0, park

    la sp, __stack_top

    /* Stack guard: PMP entry 0, locked (so it binds machine mode too), NAPOT,
     * no access, over the 128 bytes the linker script leaves below the stack.
     * NAPOT address: base / 4 with the low bits set to size / 8 - 1. */
    la t0, __stack_guard
    srli t0, t0, 2
    ori t0, t0, (STACK_GUARD_BYTES / 8 - 1)
    csrw pmpaddr0, t0
    li t0, PMPCFG_L | PMPCFG_A_NAPOT
    csrw pmpcfg0, t0

    /* .data: copy from flash to RAM (where both are RAM, the addresses are equal
     * and the loop copies nothing). */
    la a0, __data_start
    la a1, __data_load
    la a2, __data_end
    beq a0, a1, 2f
1:  bgeu a0, a2, 2f
    lw t0, 0(a1)
    sw t0, 0(a0)
    addi a0, a0, 4
    addi a1, a1, 4
    j 1b
2:
    /* .bss: zero. */
    la a0, __bss_start
    la a2, __bss_end
3:  bgeu a0, a2, 4f
    sw zero, 0(a0)
    addi a0, a0, 4
    j 3b
4:
    call board_init
    call app_main
    call hal_exit               /* does not return */

park:
    wfi
    j park
    .size _start, . - _start

/* Every trap: reset sp (the trap may be a stack overflow), then report it in C.
 * mtvec's direct mode needs 4-byte alignment. */
    .section .text.riscv_trap_entry, "ax"
    .balign 4
    .globl riscv_trap_entry
    .type riscv_trap_entry, @function
riscv_trap_entry:
    la sp, __stack_top

    /* Stack guard: PMP entry 0, locked (so it binds machine mode too), NAPOT,
     * no access, over the 128 bytes the linker script leaves below the stack.
     * NAPOT address: base / 4 with the low bits set to size / 8 - 1. */
    la t0, __stack_guard
    srli t0, t0, 2
    ori t0, t0, (STACK_GUARD_BYTES / 8 - 1)
    csrw pmpaddr0, t0
    li t0, PMPCFG_L | PMPCFG_A_NAPOT
    csrw pmpcfg0, t0
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    j riscv_trap
    .size riscv_trap_entry, . - riscv_trap_entry
