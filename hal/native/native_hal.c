/*
 * The native board: the image is a Linux process. The console is stdin/stdout,
 * the clock is CLOCK_MONOTONIC, the LEDs are bits in memory (a process has no
 * pins; the state reads back like a GPIO input register would).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "apogee/err.h"
#include "apogee/hal.h"

/* A process has no pins: the native board description declares no LEDs, and a
 * build outside the SDK (host tests) gets the same. */
#if defined(__has_include)
#if __has_include("board_config.h")
#include "board_config.h"
#endif
#endif
#ifndef BOARD_LED_COUNT
#define BOARD_LED_COUNT 0u
#endif
#define APOGEE_BOARD_LED_COUNT BOARD_LED_COUNT

static uint64_t start_us;
#if APOGEE_BOARD_LED_COUNT > 0
static bool led_state[APOGEE_BOARD_LED_COUNT];
#endif

static uint64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void hal_console_write(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0) {
            return; /* stdout closed: nothing sensible left to do with the text */
        }
        s += w;
        n -= (size_t)w;
    }
}

int hal_console_getc(void)
{
    unsigned char c;
    int flags = fcntl(STDIN_FILENO, F_GETFL);
    if (!(flags & O_NONBLOCK)) {
        fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK);
    }
    return read(STDIN_FILENO, &c, 1) == 1 ? c : -1;
}

uint64_t hal_clock_us(void)
{
    return monotonic_us() - start_us;
}

uint32_t hal_core_clock_hz(void)
{
    return 0; /* a process has no core clock of its own to report */
}

void hal_delay_us(uint32_t us)
{
    struct timespec ts = {.tv_sec = us / 1000000u, .tv_nsec = (long)(us % 1000000u) * 1000};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

unsigned hal_led_count(void)
{
    return APOGEE_BOARD_LED_COUNT;
}

int hal_led_set(unsigned idx, bool on)
{
#if APOGEE_BOARD_LED_COUNT > 0
    if (idx < APOGEE_BOARD_LED_COUNT) {
        led_state[idx] = on;
        return APG_OK;
    }
#endif
    (void)idx;
    (void)on;
    return APG_EINVAL;
}

int hal_led_get(unsigned idx)
{
#if APOGEE_BOARD_LED_COUNT > 0
    if (idx < APOGEE_BOARD_LED_COUNT) {
        return led_state[idx] ? 1 : 0;
    }
#endif
    (void)idx;
    return APG_EINVAL;
}

void hal_exit(int status)
{
    exit(status);
}

int main(void)
{
    start_us = monotonic_us();
    hal_exit(app_main());
}
