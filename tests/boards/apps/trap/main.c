#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"

int app_main(void)
{
    apg_printf("trap: %s executes an undefined instruction\r\n", BOARD_NAME);
#if defined(__riscv)
    __asm__ volatile("unimp");
#else
    __asm__ volatile("udf #0"); /* AArch64 and Thumb alike */
#endif
    apg_printf("trap: still running\r\n");
    return 0;
}
