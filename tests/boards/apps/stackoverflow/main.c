#include <stdint.h>

#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

/* Not a tail call: the addition after it keeps every frame alive. */
static unsigned deeper(unsigned n)
{
    volatile uint8_t frame[256];
    frame[0] = (uint8_t)n;
    return n > 1000000u ? frame[0] : deeper(n + 1u) + frame[0];
}

int app_main(void)
{
    apg_printf("stackoverflow: %s recurses\r\n", BOARD_NAME);
    unsigned r = deeper(0);
    apg_printf("stackoverflow: returned %u\r\n", r);
    return 0;
}
