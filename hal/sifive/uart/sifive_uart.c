/* Console on a SiFive UART, polled. */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

/* baud = tlclk / (DIV + 1), DIV rounded to the nearest divisor. */
#define SIFIVE_UART_DIVISOR \
    ((BOARD_CONSOLE_CLOCK_HZ + BOARD_CONSOLE_BAUD / 2u) / BOARD_CONSOLE_BAUD - 1u)
_Static_assert(SIFIVE_UART_DIVISOR >= 1u && SIFIVE_UART_DIVISOR <= 0xFFFFu,
               "console baud rate out of the UART divisor's range");

void hal_console_init(void)
{
    BOARD_CONSOLE->IE = 0;
    BOARD_CONSOLE->DIV = SIFIVE_UART_DIVISOR;
    BOARD_CONSOLE->TXCTRL = SIFIVE_UART_TXCTRL_TXEN_BITS; /* 8N1: one stop bit */
    BOARD_CONSOLE->RXCTRL = SIFIVE_UART_RXCTRL_RXEN_BITS;
}

void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (BOARD_CONSOLE->TXDATA & SIFIVE_UART_TXDATA_FULL_BITS) {
        }
        BOARD_CONSOLE->TXDATA = (uint8_t)s[i];
    }
}

int hal_console_getc(void)
{
    uint32_t v = BOARD_CONSOLE->RXDATA; /* one read: it pops the byte */
    if (v & SIFIVE_UART_RXDATA_EMPTY_BITS) {
        return -1;
    }
    return (int)(v & SIFIVE_UART_RXDATA_DATA_BITS);
}
