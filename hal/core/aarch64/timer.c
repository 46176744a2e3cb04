/*
 * The monotonic clock from the ARM generic timer's physical count (CNTPCT_EL0)
 * at the rate the firmware or QEMU programmed into CNTFRQ_EL0 (QEMU raspi3b:
 * 62.5 MHz; a Raspberry Pi's firmware: 19.2 MHz on Pi 3, 54 MHz on Pi 4).
 * It is part of the core, not a peripheral: nothing to initialise but the
 * count at start-up, which hal_clock_us subtracts.
 */
#include <stdint.h>

#include "apogee/hal.h"
#include "board_config.h"

void aarch64_timer_start(void);

static uint64_t start_count;

static uint64_t count(void)
{
    uint64_t c;
    /* isb: the read happens here, not earlier in program order. */
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(c)::"memory");
    return c;
}

static uint64_t frequency(void)
{
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f ? f : 1u; /* never 0 once the firmware has run; never divide by 0 */
}

void aarch64_timer_start(void)
{
    start_count = count();
}

uint64_t hal_clock_us(void)
{
    uint64_t ticks = count() - start_count;
    uint64_t f = frequency();
    /* Whole seconds and the remainder apart, so ticks x 10^6 never overflows. */
    return (ticks / f) * 1000000u + ((ticks % f) * 1000000u) / f;
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
