/* Console on a CMSDK APB UART. */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

void hal_console_init(void)
{
    BOARD_CONSOLE->BAUDDIV = BOARD_CONSOLE_CLOCK_HZ / BOARD_CONSOLE_BAUD;
    BOARD_CONSOLE->CTRL = CMSDK_UART_CTRL_TXEN_BITS | CMSDK_UART_CTRL_RXEN_BITS;
}

void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (BOARD_CONSOLE->STATE & CMSDK_UART_STATE_TXFULL_BITS) {
        }
        BOARD_CONSOLE->DATA = (uint8_t)s[i];
    }
}

int hal_console_getc(void)
{
    if (!(BOARD_CONSOLE->STATE & CMSDK_UART_STATE_RXFULL_BITS)) {
        return -1;
    }
    return (int)(BOARD_CONSOLE->DATA & CMSDK_UART_DATA_DATA_BITS);
}
