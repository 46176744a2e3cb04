/* Console on an NS16550A UART with byte-spaced registers. */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

/* The divisor latch divides the UART clock by 16 x divisor; rounded to nearest. */
#define NS16550_DIVISOR ((BOARD_CONSOLE_CLOCK_HZ + 8u * BOARD_CONSOLE_BAUD) / \
                         (16u * BOARD_CONSOLE_BAUD))
_Static_assert(NS16550_DIVISOR >= 1u && NS16550_DIVISOR <= 0xFFFFu,
               "console baud rate out of the divisor latch's range");

#define LCR_8N1 (3u << NS16550_LCR_WLS_LSB)

void hal_console_init(void)
{
    BOARD_CONSOLE->IER = 0; /* polled: no interrupts */
    BOARD_CONSOLE->LCR = NS16550_LCR_DLAB_BITS;
    BOARD_CONSOLE->RBR_THR = (uint8_t)(NS16550_DIVISOR & 0xFFu); /* DLL */
    BOARD_CONSOLE->IER = (uint8_t)(NS16550_DIVISOR >> 8);        /* DLM */
    BOARD_CONSOLE->LCR = LCR_8N1;                                /* DLAB back to 0 */
    BOARD_CONSOLE->IIR_FCR = NS16550_IIR_FCR_FIFOEN_BITS | NS16550_IIR_FCR_RXCLR_BITS |
                             NS16550_IIR_FCR_TXCLR_BITS;
    BOARD_CONSOLE->MCR = NS16550_MCR_DTR_BITS | NS16550_MCR_RTS_BITS;
}

void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (!(BOARD_CONSOLE->LSR & NS16550_LSR_THRE_BITS)) {
        }
        BOARD_CONSOLE->RBR_THR = (uint8_t)s[i];
    }
}

int hal_console_getc(void)
{
    if (!(BOARD_CONSOLE->LSR & NS16550_LSR_DR_BITS)) {
        return -1;
    }
    return (int)BOARD_CONSOLE->RBR_THR;
}
