/*
 * The monotonic clock from SysTick: a 1 ms interrupt counts milliseconds, and the
 * down-counter gives the position inside the current millisecond.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

#define TICKS_PER_MS (BOARD_CORE_CLOCK_HZ / 1000u)
#define TICKS_PER_US (BOARD_CORE_CLOCK_HZ / 1000000u)

static volatile uint64_t elapsed_ms;

void SysTick_Handler(void)
{
    elapsed_ms++;
}

void hal_timer_init(void)
{
    BOARD_TIMER->RVR = TICKS_PER_MS - 1u;
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
    return ms * 1000u + (TICKS_PER_MS - 1u - left) / TICKS_PER_US;
}

uint32_t hal_core_clock_hz(void)
{
    return BOARD_CORE_CLOCK_HZ;
}

void hal_delay_us(uint32_t us)
{
    uint64_t end = hal_clock_us() + us;
    while (hal_clock_us() < end) {
    }
}
