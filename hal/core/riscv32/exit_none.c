/* hal_exit on hardware-only RISC-V boards: nobody to report to; stop here with
 * interrupts off, where a debugger finds the hart. */
#include "apogee/hal.h"

void hal_exit(int status)
{
    (void)status;
    __asm__ volatile("csrci mstatus, 0x8" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
