/*
 * The monotonic clock from the CLINT's 64-bit mtime counter, read through its
 * memory-mapped registers (the rdtime instruction traps on some harts, e.g.
 * FE310, so the MMIO path is the one that works everywhere).
 *
 * mtime's rate is a fact of the board (HiFive1: the 32768 Hz RTC crystal) or
 * of the chip (QEMU virt: 10 MHz); the board's fact wins.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

#if defined(BOARD_FACT_MTIME_HZ)
#define MTIME_HZ BOARD_FACT_MTIME_HZ
#elif defined(CHIP_FACT_MTIME_HZ)
#define MTIME_HZ CHIP_FACT_MTIME_HZ
#else
#error "mtime_hz: give the CLINT's mtime rate as a chip or board fact"
#endif

/* us = ticks x 10^6 / MTIME_HZ, with both reduced by their greatest common
 * divisor so they stay small: us_num / us_den is 1/10 at 10 MHz, 15625/512 at
 * 32768 Hz. The division below needs us_den < 2^16, true of every rate that is
 * a whole number of hertz dividing into 10^6 x 2^16 (all the boards here). */
static uint32_t gcd(uint32_t a, uint32_t b)
{
    while (b != 0u) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint32_t us_num, us_den;
static uint64_t start_ticks;

static uint64_t mtime(void)
{
    uint32_t hi, lo;
    /* The two halves are read separately: if the high word moved while the low
     * word was read, read again. */
    do {
        hi = CLINT->MTIME_HI;
        lo = CLINT->MTIME_LO;
    } while (hi != CLINT->MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

/* Divide a 64-bit value by d < 2^16 in 16-bit digits: 32-bit divisions only, so
 * the image does not carry libgcc's 64-bit division. */
static uint64_t div64_16(uint64_t v, uint32_t d, uint32_t *rem)
{
    uint64_t q = 0;
    uint32_t r = 0;
    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t cur = (r << 16) | (uint32_t)((v >> shift) & 0xFFFFu);
        q |= (uint64_t)(cur / d) << shift;
        r = cur % d;
    }
    *rem = r;
    return q;
}

void hal_timer_init(void)
{
    uint32_t g = gcd(1000000u, MTIME_HZ);
    us_num = 1000000u / g;
    us_den = MTIME_HZ / g;
    start_ticks = mtime();
}

uint64_t hal_clock_us(void)
{
    uint32_t rem;
    uint64_t ticks = mtime() - start_ticks;
    uint64_t q = div64_16(ticks, us_den, &rem);
    /* rem < us_den < 2^16 and us_num <= 10^6: the product fits in 36 bits. */
    uint32_t unused;
    return q * us_num + div64_16((uint64_t)rem * us_num, us_den, &unused);
}

void hal_delay_us(uint32_t us)
{
    uint64_t end = hal_clock_us() + us;
    while (hal_clock_us() < end) {
    }
}
