/*
 * Traps on RV32 machine mode. Nothing here expects a trap: interrupts stay off
 * and no instruction is meant to fault. A trap in flight software must be seen:
 * print its cause and address, then stop through hal_exit with a non-zero
 * status (in emulation the run ends with a failure instead of hanging).
 */
#include <stdbool.h>
#include <stdint.h>

#include "apogee/hal.h"
#include "apogee/print.h"

#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_BREAKPOINT 3u
#define INSN_EBREAK 0x00100073u
#define INSN_SEMIHOSTING_ENTRY 0x01F01013u /* slli x0, x0, 0x1f */

void riscv_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval) __attribute__((noreturn));
void hal_unexpected_interrupt(void) __attribute__((noreturn));

/* Set once the first fatal report starts: a trap inside the report or inside
 * hal_exit (e.g. the semihosting ebreak on a board with no debugger) parks the
 * hart instead of recursing. */
static volatile bool reporting;

static void park(void) __attribute__((noreturn));
static void park(void)
{
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static const char *cause_name(uint32_t mcause)
{
    static const char *const names[] = {
        "instruction address misaligned", "instruction access fault",
        "illegal instruction", "breakpoint", "load address misaligned",
        "load access fault", "store address misaligned", "store access fault",
        "ecall from U-mode", "ecall from S-mode", "reserved", "ecall from M-mode",
    };
    if (mcause & MCAUSE_INTERRUPT) {
        return "interrupt";
    }
    return mcause < sizeof names / sizeof names[0] ? names[mcause] : "reserved";
}

/* hal_exit's semihosting call (exit_semihosting.c) with no debugger or
 * emulator to take it: a breakpoint at an ebreak that follows the semihosting
 * entry marker. The run is over; stop here without a fault report. */
static bool is_semihosting_call(uint32_t mcause, uint32_t mepc)
{
    if (mcause != MCAUSE_BREAKPOINT || (mepc & 3u) != 0u) {
        return false;
    }
    const volatile uint32_t *insn = (const volatile uint32_t *)(uintptr_t)mepc;
    return insn[0] == INSN_EBREAK && insn[-1] == INSN_SEMIHOSTING_ENTRY;
}

void riscv_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    if (reporting || is_semihosting_call(mcause, mepc)) {
        park();
    }
    reporting = true;
    apg_printf("\r\nfatal: trap mcause 0x%08x (%s) mepc 0x%08x mtval 0x%08x\r\n",
               (unsigned)mcause, cause_name(mcause), (unsigned)mepc, (unsigned)mtval);
    hal_exit(128 + (int)(mcause & 0x3Fu));
}

void hal_unexpected_interrupt(void)
{
    uint32_t mcause;
    __asm__ volatile("csrr %0, mcause" : "=r"(mcause));
    riscv_trap(mcause, 0, 0);
}
