/* GPIO on the Broadcom GPIO block (Raspberry Pi): function select, set, clear
 * and level registers. */
#include "apogee/board.h"
#include "board_config.h"

#define FSEL_OUTPUT 1u

static bcm_gpio_regs_t *gpio(uintptr_t port)
{
    return (bcm_gpio_regs_t *)port;
}

static void set_function(uintptr_t port, unsigned pin, uint32_t fsel)
{
    volatile uint32_t *reg = &gpio(port)->GPFSEL0 + pin / 10u;
    unsigned shift = (pin % 10u) * 3u;
    *reg = (*reg & ~(7u << shift)) | (fsel << shift);
}

void hal_pin_alternate(uintptr_t port, unsigned pin, unsigned af)
{
    /* ALT0..ALT5 as function-select codes (BCM2835 ARM Peripherals, table 6-2). */
    static const uint8_t alt[6] = {4u, 5u, 6u, 7u, 3u, 2u};
    if (af < sizeof alt) {
        set_function(port, pin, alt[af]);
    }
}

void hal_gpio_output(uintptr_t port, unsigned pin)
{
    set_function(port, pin, FSEL_OUTPUT);
}

void hal_gpio_write(uintptr_t port, unsigned pin, bool level)
{
    volatile uint32_t *reg = level ? &gpio(port)->GPSET0 : &gpio(port)->GPCLR0;
    reg[pin / 32u] = 1u << (pin % 32u);
}

bool hal_gpio_read(uintptr_t port, unsigned pin)
{
    const volatile uint32_t *lev = &gpio(port)->GPLEV0;
    return (lev[pin / 32u] >> (pin % 32u)) & 1u;
}
