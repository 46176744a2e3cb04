/*
 * apogee/hal.h - the portable interface every board implements.
 *
 * Applications and the network stack see the hardware only through these calls.
 * Each board links one implementation of each (hal/<family>/...), chosen by its
 * Python description; nothing here is conditional on the board.
 *
 * Start-up: the board's reset code sets up clocks, memory and the console, then
 * calls the application's `int app_main(void)`. When app_main returns, its value
 * is passed to hal_exit().
 */
#ifndef APOGEE_HAL_H
#define APOGEE_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The application's entry point; its return value is the run's exit status. */
int app_main(void);

/* Write n bytes to the board's console. Blocks until the UART has taken them. */
void hal_console_write(const char *s, size_t n);

/* One byte from the console, or -1 if none is waiting. Never blocks. */
int hal_console_getc(void);

/* Microseconds since start-up, monotonic, never wraps in practice (64 bits). */
uint64_t hal_clock_us(void);

/* The core clock the board runs at, in Hz (what the clock setup achieved). */
uint32_t hal_core_clock_hz(void);

/* Busy-wait at least us microseconds. */
void hal_delay_us(uint32_t us);

/* Number of LEDs the board description declares. */
unsigned hal_led_count(void);

/* Switch LED idx on or off; APG_EINVAL if idx >= hal_led_count(). */
int hal_led_set(unsigned idx, bool on);

/* Read LED idx's pin back from the GPIO input register: 1 on, 0 off, or APG_EINVAL. */
int hal_led_get(unsigned idx);

/* End the run. In emulation and on the native board: exit with this status.
 * On hardware: stop here (the watchdog or a debugger takes over). */
void hal_exit(int status) __attribute__((noreturn));

#endif /* APOGEE_HAL_H */
