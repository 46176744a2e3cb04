/* GPIO on the SiFive GPIO block: plain pins for LEDs, I/O functions for UARTs. */
#include "apogee/board.h"
#include "board_config.h"

static sifive_gpio_regs_t *gpio(uintptr_t port)
{
    return (sifive_gpio_regs_t *)port;
}

void hal_pin_alternate(uintptr_t port, unsigned pin, unsigned af)
{
    uint32_t bit = 1u << pin;
    if (af) {
        gpio(port)->IOF_SEL |= bit;
    } else {
        gpio(port)->IOF_SEL &= ~bit;
    }
    gpio(port)->IOF_EN |= bit;
}

void hal_gpio_output(uintptr_t port, unsigned pin)
{
    uint32_t bit = 1u << pin;
    gpio(port)->IOF_EN &= ~bit;  /* the pin is ours, not a peripheral's */
    gpio(port)->OUT_XOR &= ~bit;
    gpio(port)->INPUT_EN |= bit; /* so hal_gpio_read sees the pad */
    gpio(port)->OUTPUT_EN |= bit;
}

void hal_gpio_write(uintptr_t port, unsigned pin, bool level)
{
    if (level) {
        gpio(port)->OUTPUT_VAL |= 1u << pin;
    } else {
        gpio(port)->OUTPUT_VAL &= ~(1u << pin);
    }
}

bool hal_gpio_read(uintptr_t port, unsigned pin)
{
    return (gpio(port)->INPUT_VAL >> pin) & 1u;
}
