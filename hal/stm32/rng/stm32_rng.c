/*
 * hal_entropy from the STM32F4/F7 RNG (RM0090 section 24, RM0410 section 22).
 *
 * The RNG runs from PLL48CLK (the main PLL's Q output, which the SDK's clock
 * solver sets to at most 48 MHz); board_init opens its AHB2ENR gate. Health
 * checks, each ending the request with APG_EIO:
 *   - SECS (seed error: the analog noise source stuck or oscillating) and CECS
 *     (clock error: the RNG clock below HCLK/16), checked before each word;
 *   - the continuous test the reference manuals require: the first word after
 *     enabling is kept only for comparison, and a word equal to the one
 *     before it fails.
 * Every wait is bounded (APOGEE_HAL_ENTROPY_TIMEOUT_US and a poll count), so an
 * RNG that never sets DRDY (no clock, or an emulator without an RNG model)
 * gives APG_ETIMEDOUT instead of a hang. After an error the next call restarts
 * the generator (RNGEN off and on), the recovery the reference manuals give.
 */
#include <stdint.h>
#include <string.h>

#include "apogee/entropy.h"
#include "apogee/err.h"
#include "apogee/hal.h"
#include "board_config.h"
#include "chip.h"

/* How long one 32-bit word may take: it needs 40 RNG clock periods, so this is
 * only reached when the RNG is not running at all. */
#ifndef APOGEE_HAL_ENTROPY_TIMEOUT_US
#define APOGEE_HAL_ENTROPY_TIMEOUT_US 10000u
#endif
/* A second bound in polls, should the clock itself not be running. */
#define MAX_POLLS 2000000u

static bool running;    /* RNGEN set and the first word taken */
static uint32_t last;   /* the previous word, for the continuous test */

static int next_word(uint32_t *w)
{
    uint64_t start = hal_clock_us();
    for (uint32_t polls = 0;; polls++) {
        uint32_t sr = RNG->SR;
        if (sr & (RNG_SR_SECS_BITS | RNG_SR_CECS_BITS)) {
            return APG_EIO;
        }
        if (sr & RNG_SR_DRDY_BITS) {
            break;
        }
        if (polls >= MAX_POLLS || hal_clock_us() - start > APOGEE_HAL_ENTROPY_TIMEOUT_US) {
            return APG_ETIMEDOUT;
        }
    }
    *w = RNG->DR;
    /* DR may hold a value produced before a seed error was flagged: look again. */
    if (RNG->SR & (RNG_SR_SECS_BITS | RNG_SR_CECS_BITS)) {
        return APG_EIO;
    }
    return APG_OK;
}

static int start(void)
{
    RNG->CR = 0; /* restart the generator: clears a past error state */
    RNG->SR = 0; /* clear CEIS, SEIS (write 0 to clear) */
    RNG->CR = RNG_CR_RNGEN_BITS;
    int rc = next_word(&last); /* the first word: compared with, never used */
    if (rc == APG_OK) {
        running = true;
    }
    return rc;
}

int hal_entropy(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return APG_EINVAL;
    }
    if (!running) {
        int rc = start();
        if (rc != APG_OK) {
            return rc;
        }
    }
    uint8_t *p = buf;
    while (len > 0) {
        uint32_t w;
        int rc = next_word(&w);
        if (rc == APG_OK && w == last) {
            rc = APG_EIO;
        }
        if (rc != APG_OK) {
            running = false;
            RNG->CR = 0;
            return rc;
        }
        last = w;
        size_t n = len < 4 ? len : 4;
        memcpy(p, &w, n);
        p += n;
        len -= n;
    }
    return APG_OK;
}
