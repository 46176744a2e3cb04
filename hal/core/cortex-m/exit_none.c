/* hal_exit on hardware-only boards: there is nobody to report to; stop here with
 * interrupts off, where a debugger finds the core. */
#include "apogee/hal.h"

void hal_exit(int status)
{
    (void)status;
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
