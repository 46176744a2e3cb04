#include "apogee/err.h"
#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

#define TOGGLES 10u
#define HALF_PERIOD_US 250000u /* two changes per 500 ms: 2 Hz */

#ifdef BOARD_LED0_NAME
#define FIRST_LED BOARD_LED0_NAME
#else
#define FIRST_LED "-"
#endif

int app_main(void)
{
    if (hal_led_count() == 0) {
        apg_printf("blinky: %s has no LED\r\n", BOARD_NAME);
        return 0;
    }
    apg_printf("blinky: %s LED %s\r\n", BOARD_NAME, FIRST_LED);
    bool on = false;
    unsigned mismatches = 0;
    for (unsigned i = 0; BOARD_HAS_EXIT == 0 || i < TOGGLES; i++) {
        on = !on;
        hal_led_set(0, on);
        int seen = hal_led_get(0);
        if (i < TOGGLES) {
            apg_printf("toggle %u: set %s, read %s\r\n", i + 1, on ? "on" : "off",
                       seen == 1 ? "on" : seen == 0 ? "off" : "error");
        }
        mismatches += (seen != (int)on);
        hal_delay_us(HALF_PERIOD_US);
    }
    apg_printf("blinky: done, %u mismatches\r\n", mismatches);
    return mismatches == 0 ? 0 : 1;
}
