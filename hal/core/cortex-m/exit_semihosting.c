/*
 * hal_exit for emulated Cortex-M boards: ARM semihosting SYS_EXIT_EXTENDED
 * (0x20), which carries the status to QEMU's exit code. On hardware with no
 * debugger attached the BKPT escalates to a fault and the core stops there, which
 * is what hal_exit promises on hardware.
 */
#include <stdint.h>

#include "apogee/hal.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void hal_exit(int status)
{
    volatile uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xAB" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
