/*
 * hal_exit for emulated RISC-V boards without a test device (QEMU sifive_e):
 * RISC-V semihosting, SYS_EXIT_EXTENDED (0x20), which carries the status to
 * QEMU's exit code.
 *
 * The RISC-V semihosting call is an ebreak between two marker instructions,
 *     slli x0, x0, 0x1f ; ebreak ; srai x0, x0, 7
 * each 32 bits wide (no compressed forms) and all three in one page, which the
 * 16-byte alignment guarantees. Without a debugger or a semihosting emulator
 * the ebreak is a breakpoint trap; the trap handler then parks the hart.
 */
#include <stdint.h>

#include "apogee/hal.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void hal_exit(int status)
{
    volatile uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    register uint32_t a0 __asm__("a0") = SYS_EXIT_EXTENDED;
    register volatile uint32_t *a1 __asm__("a1") = block;
    __asm__ volatile(
        ".option push\n\t"
        ".option norvc\n\t"
        ".balign 16\n\t"
        "slli x0, x0, 0x1f\n\t"
        "ebreak\n\t"
        "srai x0, x0, 7\n\t"
        ".option pop"
        : "+r"(a0)
        : "r"(a1)
        : "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
