/*
 * The monotonic clock from the RP2040 TIMER: a 64-bit count of microseconds,
 * ticked by the watchdog's tick generator, which divides clk_ref (the 12 MHz
 * crystal) by 12.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

#define TICK_CYCLES (CHIP_FACT_XOSC_HZ / 1000000u)
_Static_assert(TICK_CYCLES * 1000000u == CHIP_FACT_XOSC_HZ && TICK_CYCLES < 512u,
               "clk_ref must be a whole number of MHz below 512 for a 1 us tick");

static uint64_t start_us;

static uint64_t timer_now(void)
{
    uint32_t hi, lo;
    /* The raw registers have no latch: if the high word moved, read again. */
    do {
        hi = TIMER->TIMERAWH;
        lo = TIMER->TIMERAWL;
    } while (hi != TIMER->TIMERAWH);
    return ((uint64_t)hi << 32) | lo;
}

void hal_timer_init(void)
{
    WATCHDOG->TICK = RP2040_WATCHDOG_TICK_ENABLE_BITS | TICK_CYCLES;
    start_us = timer_now();
}

uint64_t hal_clock_us(void)
{
    return timer_now() - start_us;
}

void hal_delay_us(uint32_t us)
{
    uint64_t end = hal_clock_us() + us;
    while (hal_clock_us() < end) {
    }
}
