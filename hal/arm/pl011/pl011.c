/* Console on an ARM PL011 UART, polled. */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

/* The baud divisor in 64ths: clock / (16 x baud) = 4 x clock / baud, rounded
 * (PL011 TRM 3.3.6). 4 x clock stays below 2^32 for clocks under 1 GHz. */
#define PL011_DIV64 ((4ull * BOARD_CONSOLE_CLOCK_HZ + BOARD_CONSOLE_BAUD / 2u) / BOARD_CONSOLE_BAUD)
_Static_assert(PL011_DIV64 >= 64u && (PL011_DIV64 >> 6) <= 0xFFFFu,
               "console baud rate out of the PL011 divisor's range");

#define BUSY_SPINS 100000u

void hal_console_init(void)
{
    BOARD_CONSOLE->CR = 0; /* disable, then let a character in flight finish */
    for (uint32_t i = 0; i < BUSY_SPINS && (BOARD_CONSOLE->FR & PL011_FR_BUSY_BITS); i++) {
    }
    BOARD_CONSOLE->IMSC = 0;
    BOARD_CONSOLE->ICR = 0x7FFu;
    BOARD_CONSOLE->IBRD = (uint32_t)(PL011_DIV64 >> 6);
    BOARD_CONSOLE->FBRD = (uint32_t)(PL011_DIV64 & 0x3Fu);
    BOARD_CONSOLE->LCR_H = (3u << PL011_LCR_H_WLEN_LSB) | PL011_LCR_H_FEN_BITS; /* 8N1 */
    BOARD_CONSOLE->CR = PL011_CR_UARTEN_BITS | PL011_CR_TXE_BITS | PL011_CR_RXE_BITS;
}

void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (BOARD_CONSOLE->FR & PL011_FR_TXFF_BITS) {
        }
        BOARD_CONSOLE->DR = (uint8_t)s[i];
    }
}

int hal_console_getc(void)
{
    if (BOARD_CONSOLE->FR & PL011_FR_RXFE_BITS) {
        return -1;
    }
    return (int)(BOARD_CONSOLE->DR & PL011_DR_DATA_BITS);
}
