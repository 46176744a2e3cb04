/*
 * Exceptions on AArch64 at EL1. Nothing here expects one: interrupts stay
 * masked and no instruction is meant to fault. An exception in flight software
 * must be seen: print its class and address, then stop through hal_exit with a
 * non-zero status.
 */
#include <stdbool.h>
#include <stdint.h>

#include "apogee/hal.h"
#include "apogee/print.h"

#define HLT_SEMIHOSTING 0xD45E0000u /* hlt #0xf000 */

void aarch64_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
    __attribute__((noreturn));
void hal_unexpected_interrupt(void) __attribute__((noreturn));

/* Set once the first fatal report starts: an exception inside the report or
 * inside hal_exit parks the core instead of recursing. */
static volatile bool reporting;

static void park(void) __attribute__((noreturn));
static void park(void)
{
    for (;;) {
        __asm__ volatile("wfe");
    }
}

void aarch64_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
    static const char *const types[] = {"synchronous", "IRQ", "FIQ", "SError"};
    static const char *const origins[] = {"EL1 SP_EL0", "EL1 SP_EL1", "EL0 AArch64",
                                          "EL0 AArch32"};
    unsigned ec = (unsigned)(esr >> 26) & 0x3Fu;
    /* hal_exit's semihosting call with no debugger or emulator to take it is an
     * undefined instruction (EC 0): the run is over, stop here quietly. */
    if (reporting || (ec == 0u && (kind & 3u) == 0u &&
                      *(const volatile uint32_t *)(uintptr_t)elr == HLT_SEMIHOSTING)) {
        park();
    }
    reporting = true;
    apg_printf("\r\nfatal: %s exception from %s: ESR 0x%08x (class 0x%02x) ELR 0x%lx "
               "FAR 0x%lx\r\n",
               types[kind & 3u], origins[(kind >> 2) & 3u], (unsigned)esr, ec,
               (unsigned long)elr, (unsigned long)far);
    hal_exit(128 + (int)ec);
}

void hal_unexpected_interrupt(void)
{
    aarch64_exception(1, 0, 0, 0);
}
