/*
 * The monotonic clock from SysTick: a 1 ms interrupt counts milliseconds, and the
 * down-counter gives the position inside the current millisecond.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

/* SysTick counts the core clock. The clock in use can differ from the board's
 * nominal one (a clock driver that fell back to an internal oscillator says so
 * through hal_core_clock_hz), so the rates are taken at init, not compiled in. */
static uint32_t ticks_per_ms;
static uint32_t ticks_per_us;
static volatile uint64_t elapsed_ms;

void SysTick_Handler(void)
{
    elapsed_ms++;
}

void hal_timer_init(void)
{
    uint32_t hz = hal_core_clock_hz();
    ticks_per_ms = hz / 1000u;
    ticks_per_us = hz / 1000000u ? hz / 1000000u : 1u;
    BOARD_TIMER->RVR = ticks_per_ms - 1u;
    BOARD_TIMER->CVR = 0;
    BOARD_TIMER->CSR = SYSTICK_CSR_ENABLE_BITS | SYSTICK_CSR_TICKINT_BITS |
                       SYSTICK_CSR_CLKSOURCE_BITS;
}

uint64_t hal_clock_us(void)
{
    uint64_t ms;
    uint32_t left;
    /* Read the count on both sides of the counter: if the interrupt ran in
     * between, read again so the two belong to the same millisecond. */
    do {
        ms = elapsed_ms;
        left = BOARD_TIMER->CVR & SYSTICK_CVR_CURRENT_BITS;
    } while (ms != elapsed_ms);
    return ms * 1000u + (ticks_per_ms - 1u - left) / ticks_per_us;
}

/* Boards with a fixed clock report the description's; a clock driver that can
 * fall back (STM32 RCC) overrides this with the clock it really set up. */
__attribute__((weak)) uint32_t hal_core_clock_hz(void)
{
    return BOARD_CORE_CLOCK_HZ;
}

void hal_delay_us(uint32_t us)
{
    uint64_t end = hal_clock_us() + us;
    while (hal_clock_us() < end) {
    }
}
