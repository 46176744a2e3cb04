/*
 * AArch64 reset: the first instructions of the image (Cortex-A53/A72).
 *
 * How we get here differs: QEMU's raspi3b with an ELF starts all four cores
 * here at EL3; the Raspberry Pi firmware starts core 0 alone at EL2 (the other
 * cores wait in its stub). So: park every core but core 0, then from EL3 or EL2
 * drop to EL1 (AArch64, interrupts masked) with FP/SIMD untrapped at every
 * level (the C library's memcpy and memset use SIMD registers), set the vector
 * table and the stack, zero .bss, turn the MMU and caches on (aarch64_core_init),
 * bring the board up, run the app and hand its status to hal_exit.
 */
#define SCR_EL3_NS (1 << 0)
#define SCR_EL3_RES1 (3 << 4)
#define SCR_EL3_RW (1 << 10)          /* the next lower level is AArch64 */
#define HCR_EL2_RW (1 << 31)          /* EL1 is AArch64 */
#define CPTR_EL2_RES1 0x33FF          /* TFP (bit 10) clear: no FP/SIMD trap */
#define CNTHCTL_EL2_EL1PCTEN_PCEN 3   /* EL1 may read the physical counter */
#define SCTLR_EL1_RES1 0x30D00800     /* MMU, caches and alignment checks off */
#define SPSR_EL1H_DAIF 0x3C5          /* EL1 with SP_EL1, D, A, I, F masked */
#define CPACR_EL1_FPEN (3 << 20)      /* FP/SIMD at EL1 and EL0 */

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    mrs x0, mpidr_el1
    and x0, x0, #0xFF               /* Aff0: the core within the cluster */
    cbnz x0, park

    mrs x0, CurrentEL
    lsr x0, x0, #2
    cmp x0, #1
    b.eq el1
    cmp x0, #3
    b.ne 1f
    /* EL3: the levels below are non-secure and AArch64; FP/SIMD not trapped. */
    ldr x1, =(SCR_EL3_RW | SCR_EL3_RES1 | SCR_EL3_NS)
    msr scr_el3, x1
    msr cptr_el3, xzr
1:  /* EL3 or EL2: configure EL2's controls over EL1 (EL3 may write them too). */
    ldr x1, =HCR_EL2_RW
    msr hcr_el2, x1
    ldr x1, =CPTR_EL2_RES1
    msr cptr_el2, x1
    mov x1, #CNTHCTL_EL2_EL1PCTEN_PCEN
    msr cnthctl_el2, x1
    msr cntvoff_el2, xzr
    ldr x1, =SCTLR_EL1_RES1
    msr sctlr_el1, x1
    mov x1, #SPSR_EL1H_DAIF
    adr x2, el1
    cmp x0, #3
    b.ne 2f
    msr spsr_el3, x1
    msr elr_el3, x2
    eret
2:  msr spsr_el2, x1
    msr elr_el2, x2
    eret

el1:
    ldr x1, =CPACR_EL1_FPEN
    msr cpacr_el1, x1
    ldr x1, =aarch64_vectors
    msr vbar_el1, x1
    isb
    ldr x1, =__stack_top
    mov sp, x1

    /* .bss: zero, 8 bytes at a time (the linker script aligns it to 8). No
     * memset yet: with the MMU off all memory is Device memory, where the
     * library's DC ZVA and unaligned accesses fault. */
    ldr x1, =__bss_start
    ldr x2, =__bss_end
3:  cmp x1, x2
    b.hs 4f
    str xzr, [x1], #8
    b 3b
4:
    bl aarch64_core_init            /* MMU and caches on: normal memory from here */

    /* .data: copy from its load address where it has one apart. */
    ldr x0, =__data_start
    ldr x1, =__data_load
    ldr x2, =__data_end
    cmp x0, x1
    b.eq 5f
    sub x2, x2, x0
    bl memcpy
5:
    bl board_init
    bl app_main
    bl hal_exit                     /* does not return */

park:
    wfe
    b park
    .size _start, . - _start
    .ltorg
