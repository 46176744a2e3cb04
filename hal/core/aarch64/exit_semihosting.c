/*
 * hal_exit for emulated AArch64 boards: AArch64 semihosting (HLT #0xF000),
 * SYS_EXIT_EXTENDED (0x20) with a parameter block of two 64-bit words, reason
 * and status, which QEMU turns into its exit code.
 */
#include <stdint.h>

#include "apogee/hal.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void hal_exit(int status)
{
    volatile uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    register uint64_t x0 __asm__("x0") = SYS_EXIT_EXTENDED;
    register volatile uint64_t *x1 __asm__("x1") = block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    for (;;) {
        __asm__ volatile("wfe");
    }
}
