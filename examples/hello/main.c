#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

int app_main(void)
{
    uint64_t up = hal_clock_us();
    apg_printf("hello from %s\r\n", BOARD_NAME);
    apg_printf("chip: %s (%s)\r\n", CHIP_NAME, CHIP_CORE);
    apg_printf("core clock: %lu Hz\r\n", (unsigned long)hal_core_clock_hz());
    apg_printf("uptime: %lu us\r\n", (unsigned long)up);
    return 0;
}
