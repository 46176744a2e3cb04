/*
 * Console on an STM32F4 USART (RM0090 30.3): 8 data bits, no parity, one stop
 * bit, oversampling by 16. The baud divisor comes from the bus clock in use,
 * read from the RCC at run time, so the console stays right when the clock set-up
 * had to fall back (see rcc/rcc.c).
 */
#include "../stm32_clock.h"
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

void hal_console_init(void)
{
    uint32_t clock = stm32_clock_bus_hz(BOARD_CONSOLE_BASE);
    BOARD_CONSOLE->CR1 = 0; /* UE off while the format changes */
    BOARD_CONSOLE->CR2 = 0;
    BOARD_CONSOLE->CR3 = 0;
    /* With OVER8 = 0, BRR (mantissa:fraction) is f_ck / baud, rounded. */
    BOARD_CONSOLE->BRR = (clock + BOARD_CONSOLE_BAUD / 2u) / BOARD_CONSOLE_BAUD;
    BOARD_CONSOLE->CR1 = USART_F4_CR1_UE_BITS | USART_F4_CR1_TE_BITS | USART_F4_CR1_RE_BITS;
    stm32_clock_report();
}

void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (!(BOARD_CONSOLE->SR & USART_F4_SR_TXE_BITS)) {
        }
        BOARD_CONSOLE->DR = (uint8_t)s[i];
    }
}

int hal_console_getc(void)
{
    /* Reading SR then DR also clears an overrun (ORE). */
    if (!(BOARD_CONSOLE->SR & (USART_F4_SR_RXNE_BITS | USART_F4_SR_ORE_BITS))) {
        return -1;
    }
    return (int)(BOARD_CONSOLE->DR & 0xFFu);
}
