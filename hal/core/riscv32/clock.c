/* The core clock as the board description gives it. Weak: a chip whose clock
 * driver can fail over to another oscillator (FE310's PRCI) reports what it
 * really achieved instead. */
#include "apogee/hal.h"
#include "board_config.h"

__attribute__((weak)) uint32_t hal_core_clock_hz(void)
{
    return BOARD_CORE_CLOCK_HZ;
}
