/* GPIO on RP2040: the pin multiplexer is IO_BANK0 (one FUNCSEL per pin), and a
 * pin given to SIO (function 5) is driven and read through SIO's registers. */
#include "apogee/board.h"
#include "board_config.h"

#define FUNCSEL_SIO 5u

static rp2040_sio_regs_t *sio(uintptr_t port)
{
    return (rp2040_sio_regs_t *)port;
}

/* GPIOn_CTRL: the registers come in (STATUS, CTRL) pairs, 8 bytes apart. */
static volatile uint32_t *gpio_ctrl(unsigned pin)
{
    return (volatile uint32_t *)(IO_BANK0_BASE + RP2040_IO_BANK0_GPIO0_CTRL_OFFSET + 8u * pin);
}

void hal_pin_alternate(uintptr_t port, unsigned pin, unsigned af)
{
    (void)port; /* every pin's function is chosen in IO_BANK0 */
    *gpio_ctrl(pin) = af << RP2040_IO_BANK0_GPIO0_CTRL_FUNCSEL_LSB;
}

void hal_gpio_output(uintptr_t port, unsigned pin)
{
    sio(port)->GPIO_OE_CLR = 1u << pin;
    sio(port)->GPIO_OUT_CLR = 1u << pin;
    *gpio_ctrl(pin) = FUNCSEL_SIO << RP2040_IO_BANK0_GPIO0_CTRL_FUNCSEL_LSB;
    sio(port)->GPIO_OE_SET = 1u << pin;
}

void hal_gpio_write(uintptr_t port, unsigned pin, bool level)
{
    if (level) {
        sio(port)->GPIO_OUT_SET = 1u << pin;
    } else {
        sio(port)->GPIO_OUT_CLR = 1u << pin;
    }
}

bool hal_gpio_read(uintptr_t port, unsigned pin)
{
    return (sio(port)->GPIO_IN >> pin) & 1u;
}
