/* The MPS2 FPGA I/O LED register as a GPIO block: one bit per LED, and it reads
 * back what was written (there is no separate input register). */
#include "apogee/board.h"
#include "board_config.h"

static mps2_fpgaio_regs_t *fpgaio(uintptr_t port)
{
    return (mps2_fpgaio_regs_t *)port;
}

void hal_gpio_output(uintptr_t port, unsigned pin)
{
    (void)port; /* the LED bits are outputs by construction */
    (void)pin;
}

void hal_gpio_write(uintptr_t port, unsigned pin, bool level)
{
    if (level) {
        fpgaio(port)->LED |= 1u << pin;
    } else {
        fpgaio(port)->LED &= ~(1u << pin);
    }
}

bool hal_gpio_read(uintptr_t port, unsigned pin)
{
    return (fpgaio(port)->LED >> pin) & 1u;
}
