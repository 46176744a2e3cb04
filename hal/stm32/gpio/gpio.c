/*
 * STM32 GPIO (RM0090 8.3, RM0410 6.3): pins given to peripherals through the
 * alternate-function multiplexer, and plain outputs for LEDs. Reads use IDR, the
 * level on the pin, so a test sees what the pin really does.
 *
 * A port whose MODER does not read back what was written does not respond: its
 * clock gate is off, or (QEMU 7.2's netduinoplus2) it is not emulated at all.
 * hal_gpio_output says so on the console, since every read of that port will
 * then be 0 whatever was written.
 */
#include "apogee/board.h"
#include "apogee/print.h"
#include "board_config.h"

#define MODE_OUTPUT 1u
#define MODE_ALTERNATE 2u
#define SPEED_VERY_HIGH 3u /* RMII's 50 MHz reference clock needs it */

static gpio_regs_t *gpio(uintptr_t port)
{
    return (gpio_regs_t *)port;
}

static void set_mode(gpio_regs_t *g, unsigned pin, uint32_t mode)
{
    unsigned shift = 2u * pin;
    g->MODER = (g->MODER & ~(3u << shift)) | (mode << shift);
}

void hal_pin_alternate(uintptr_t port, unsigned pin, unsigned af)
{
    gpio_regs_t *g = gpio(port);
    volatile uint32_t *afr = pin < 8u ? &g->AFRL : &g->AFRH;
    unsigned shift = 4u * (pin & 7u);
    /* Function first, then the mode: the pin never drives a wrong function. */
    *afr = (*afr & ~(0xFu << shift)) | ((uint32_t)(af & 0xFu) << shift);
    g->OSPEEDR = (g->OSPEEDR & ~(3u << 2u * pin)) | (SPEED_VERY_HIGH << 2u * pin);
    set_mode(g, pin, MODE_ALTERNATE);
}

void hal_gpio_output(uintptr_t port, unsigned pin)
{
    gpio_regs_t *g = gpio(port);
    g->OTYPER &= ~(1u << pin); /* push-pull */
    set_mode(g, pin, MODE_OUTPUT);
    if (((g->MODER >> 2u * pin) & 3u) != MODE_OUTPUT) {
        apg_printf("gpio: port 0x%08lx does not respond (MODER reads 0x%08lx): pin %u "
                   "will read 0\r\n", (unsigned long)port, (unsigned long)g->MODER, pin);
    }
}

void hal_gpio_write(uintptr_t port, unsigned pin, bool level)
{
    /* BSRR: set in the low half, reset in the high half, no read-modify-write. */
    gpio(port)->BSRR = level ? 1u << pin : 1u << (pin + 16u);
}

bool hal_gpio_read(uintptr_t port, unsigned pin)
{
    return (gpio(port)->IDR >> pin) & 1u;
}
