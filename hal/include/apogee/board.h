/*
 * apogee/board.h - what the generated board code and the drivers say to each other.
 *
 * The SDK generates build/<board>/<app>/gen/board.c from the board description:
 * the LED table and board_init(), which calls the drivers' init functions below in
 * order. Drivers read their constants (console UART, baud divisor, LED pins) from
 * the generated board_config.h.
 */
#ifndef APOGEE_BOARD_H
#define APOGEE_BOARD_H

#include <stdbool.h>
#include <stdint.h>

struct board_led {
    uintptr_t port;       /* base address of the GPIO block that drives the LED */
    uint8_t pin;          /* bit in that block */
    uint8_t active_high;  /* 1: pin high lights the LED */
};

extern const struct board_led board_leds[];

/* Generated: brings the board up (clocks, pins, console, timer, LEDs). Called by
 * the core's reset code before app_main(). */
void board_init(void);

/* Implemented by drivers and called by board_init() where the board uses them. */
void hal_clock_tree_init(void);          /* STM32 RCC: PLL, bus prescalers, flash */
void hal_pin_alternate(uintptr_t port, unsigned pin, unsigned af); /* pin multiplexer */
void hal_console_init(void);
void hal_timer_init(void);
void hal_leds_init(void);                /* hal/common/leds.c, from the table */

/* GPIO drivers: the three operations the LED code needs, on one pin of the GPIO
 * block at `port`. hal_gpio_read returns the level read from the pin's input (or
 * read-back) register, so a test sees what the pin really does. */
void hal_gpio_output(uintptr_t port, unsigned pin);
void hal_gpio_write(uintptr_t port, unsigned pin, bool level);
bool hal_gpio_read(uintptr_t port, unsigned pin);

#endif /* APOGEE_BOARD_H */
