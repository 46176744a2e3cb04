/*
 * Unexpected exceptions and interrupts. A fault in flight software must be seen:
 * print what happened and where, then stop through hal_exit (in emulation the run
 * ends with a failure status instead of hanging until a timeout).
 */
#include <stdint.h>

#include "apogee/hal.h"
#include "apogee/print.h"

#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)

void hal_unexpected_interrupt(void) __attribute__((noreturn));

void hal_unexpected_interrupt(void)
{
    uint32_t exception = SCB_ICSR & 0x1FFu;
#if defined(__ARM_ARCH_6M__)
    /* ARMv6-M (Cortex-M0/M0+) has no fault status registers: reading CFSR there
     * would itself fault. */
    apg_printf("\r\nfatal: exception %u\r\n", (unsigned)exception);
#else
    apg_printf("\r\nfatal: exception %u (CFSR 0x%08x)\r\n", (unsigned)exception,
               (unsigned)SCB_CFSR);
#endif
    hal_exit(128 + (int)(exception & 0x7F));
}
