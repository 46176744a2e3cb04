/* LEDs from the generated table, on top of the board's GPIO driver. */
#include "apogee/board.h"
#include "apogee/err.h"
#include "apogee/hal.h"
#include "board_config.h"

void hal_leds_init(void)
{
#if BOARD_LED_COUNT > 0 /* with none, the loop's test is always false: -Wtype-limits */
    for (unsigned i = 0; i < BOARD_LED_COUNT; i++) {
        hal_gpio_output(board_leds[i].port, board_leds[i].pin);
        hal_led_set(i, false);
    }
#endif
}

unsigned hal_led_count(void)
{
    return BOARD_LED_COUNT;
}

#if BOARD_LED_COUNT > 0
int hal_led_set(unsigned idx, bool on)
{
    if (idx >= BOARD_LED_COUNT) {
        return APG_EINVAL;
    }
    hal_gpio_write(board_leds[idx].port, board_leds[idx].pin, on == board_leds[idx].active_high);
    return APG_OK;
}

int hal_led_get(unsigned idx)
{
    if (idx >= BOARD_LED_COUNT) {
        return APG_EINVAL;
    }
    return hal_gpio_read(board_leds[idx].port, board_leds[idx].pin) == board_leds[idx].active_high;
}
#else
/* A board without LEDs: every index is out of range. */
int hal_led_set(unsigned idx, bool on)
{
    (void)idx;
    (void)on;
    return APG_EINVAL;
}

int hal_led_get(unsigned idx)
{
    (void)idx;
    return APG_EINVAL;
}
#endif
