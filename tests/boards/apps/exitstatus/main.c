#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

int app_main(void)
{
    apg_printf("exitstatus: %s returns 42\r\n", BOARD_NAME);
    return 42;
}
