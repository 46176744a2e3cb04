/*
 * STM32F4/F7 clock tree: HSE, the main PLL, over-drive, flash wait states and bus
 * prescalers, from the factors the SDK solved (BOARD_CLOCK_* in board_config.h).
 * The sequence is RM0090 5.1.4 / 7.2 and RM0410 4.1.4 / 5.2:
 *
 *   HSE on (bypass first where the board feeds a clock) -> PLL configured and on
 *   -> over-drive on and switched (F42x/F7 above 168/180 MHz) -> flash wait states
 *   raised and read back -> bus prescalers -> PLL locked -> SYSCLK = PLL.
 *
 * Every wait for a ready bit is bounded (STM32_READY_POLLS), so a board without its
 * crystal still boots:
 *   - no HSE: the PLL is fed from HSI with M scaled so SYSCLK, the bus clocks and
 *     so the console's baud rate and SysTick stay exactly as described (HSI is
 *     within 1 %, enough for a UART);
 *   - no PLL lock, no over-drive, or flash latency not taken: SYSCLK stays on HSI;
 *   - no RCC at all (RCC_CR reads 0, which silicon never does: HSI is on and ready
 *     from reset): nothing is programmed; the emulator's clock is taken to be the
 *     board's nominal one, and stm32_clock_report() says so.
 * The clock in use is then read back from the RCC, never assumed.
 */
#include "../stm32_clock.h"
#include "apogee/board.h"
#include "apogee/print.h"
#include "board_config.h"

/* A poll reads one peripheral register and tests it: at least ~6 cycles, so 2^18
 * polls from the 16 MHz HSI last at least ~100 ms, ST's own HSE start-up
 * budget; a healthy crystal is ready in about 2 ms, a PLL in well under 1 ms.
 * (The host test of this driver sets its own, for a model of the RCC.) */
#ifndef STM32_READY_POLLS
#define STM32_READY_POLLS (1u << 18)
#endif

#define SW_HSI 0u
#define SW_HSE 1u
#define SW_PLL 2u

static enum stm32_clock_outcome outcome;

static bool wait_for(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
    for (uint32_t i = 0; i < STM32_READY_POLLS; i++) {
        if ((*reg & mask) == want) {
            return true;
        }
    }
    return false;
}

/* CFGR.PPREx coding of an APB divider: 1 -> 0b000, 2 -> 0b100, ... 16 -> 0b111. */
static uint32_t ppre_code(uint32_t div)
{
    uint32_t code = 0;
    while (div > 1u) {
        div >>= 1;
        code = code ? code + 1u : 4u;
    }
    return code;
}

static bool switch_sysclk(uint32_t sw)
{
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_BITS) | (sw << RCC_CFGR_SW_LSB);
    return wait_for(&RCC->CFGR, RCC_CFGR_SWS_BITS, sw << RCC_CFGR_SWS_LSB);
}

static void set_prescalers(void)
{
    uint32_t cfgr = RCC->CFGR & ~(RCC_CFGR_HPRE_BITS | RCC_CFGR_PPRE1_BITS | RCC_CFGR_PPRE2_BITS);
    cfgr |= ppre_code(BOARD_CLOCK_APB1_DIV) << RCC_CFGR_PPRE1_LSB;
    cfgr |= ppre_code(BOARD_CLOCK_APB2_DIV) << RCC_CFGR_PPRE2_LSB;
    RCC->CFGR = cfgr; /* HPRE 0: AHB = SYSCLK */
}

#if BOARD_CLOCK_USES_PLL
/* The PLL input divider that gives HSI the same VCO input frequency as the
 * described source (e.g. 8 MHz / 4 = 2 MHz = 16 MHz / 8), or 0 if none does. */
#define VCO_IN_HZ (BOARD_CLOCK_SOURCE_HZ / BOARD_CLOCK_PLL_M)
#if (CHIP_FACT_HSI_HZ % VCO_IN_HZ) == 0 && (CHIP_FACT_HSI_HZ / VCO_IN_HZ) >= 2u && \
    (CHIP_FACT_HSI_HZ / VCO_IN_HZ) <= 63u
#define HSI_PLL_M (CHIP_FACT_HSI_HZ / VCO_IN_HZ)
#else
#define HSI_PLL_M 0u
#endif

static bool start_pll(uint32_t m, bool from_hse)
{
    uint32_t cfg = RCC->PLLCFGR & ~(RCC_PLLCFGR_PLLM_BITS | RCC_PLLCFGR_PLLN_BITS |
                                    RCC_PLLCFGR_PLLP_BITS | RCC_PLLCFGR_PLLSRC_BITS |
                                    RCC_PLLCFGR_PLLQ_BITS);
    cfg |= m << RCC_PLLCFGR_PLLM_LSB;
    cfg |= BOARD_CLOCK_PLL_N << RCC_PLLCFGR_PLLN_LSB;
    cfg |= (BOARD_CLOCK_PLL_P / 2u - 1u) << RCC_PLLCFGR_PLLP_LSB;
    cfg |= BOARD_CLOCK_PLL_Q << RCC_PLLCFGR_PLLQ_LSB;
    cfg |= from_hse ? RCC_PLLCFGR_PLLSRC_BITS : 0u;
    RCC->PLLCFGR = cfg;
    RCC->CR |= RCC_CR_PLLON_BITS;
#if BOARD_CLOCK_OVERDRIVE
    /* Over-drive after PLLON and before the switch (RM0090 5.1.4 steps 3-4). */
    PWR->CR |= PWR_CR_ODEN_BITS;
    if (!wait_for(&PWR->CSR, PWR_CSR_ODRDY_BITS, PWR_CSR_ODRDY_BITS)) {
        return false;
    }
    PWR->CR |= PWR_CR_ODSWEN_BITS;
    if (!wait_for(&PWR->CSR, PWR_CSR_ODSWRDY_BITS, PWR_CSR_ODSWRDY_BITS)) {
        return false;
    }
#endif
    /* Wait states before the clock rises; they are harmless if it does not. */
    if (!stm32_flash_set_wait_states(BOARD_CLOCK_FLASH_WAIT_STATES)) {
        return false;
    }
    set_prescalers();
    if (!wait_for(&RCC->CR, RCC_CR_PLLRDY_BITS, RCC_CR_PLLRDY_BITS)) {
        return false;
    }
    return switch_sysclk(SW_PLL);
}
#endif

void hal_clock_tree_init(void)
{
    if ((RCC->CR & (RCC_CR_HSION_BITS | RCC_CR_HSIRDY_BITS)) == 0) {
        outcome = STM32_CLOCK_NO_RCC;
        return;
    }
    RCC->APB1ENR |= RCC_APB1ENR_PWREN_BITS; /* PWR: over-drive lives there */
    (void)RCC->APB1ENR;
    /* From reset SYSCLK is HSI and the PLL is off. A boot loader may have left
     * the PLL running, and PLLCFGR is writable only while it is off. */
    if ((RCC->CFGR & RCC_CFGR_SWS_BITS) != (SW_HSI << RCC_CFGR_SWS_LSB)) {
        (void)switch_sysclk(SW_HSI);
    }
    RCC->CR &= ~RCC_CR_PLLON_BITS;
    (void)wait_for(&RCC->CR, RCC_CR_PLLRDY_BITS, 0u);

    bool hse = false;
#if BOARD_CLOCK_SOURCE_HSE
#if BOARD_CLOCK_HSE_BYPASS
    RCC->CR |= RCC_CR_HSEBYP_BITS; /* before HSEON: an external clock, no crystal */
#endif
    RCC->CR |= RCC_CR_HSEON_BITS;
    hse = wait_for(&RCC->CR, RCC_CR_HSERDY_BITS, RCC_CR_HSERDY_BITS);
    if (!hse) {
        RCC->CR &= ~RCC_CR_HSEON_BITS;
        RCC->CR &= ~RCC_CR_HSEBYP_BITS; /* writable once HSEON is off */
    }
#endif

#if BOARD_CLOCK_USES_PLL
    uint32_t m = hse ? BOARD_CLOCK_PLL_M : HSI_PLL_M;
    if (m != 0u && start_pll(m, hse)) {
        outcome = hse || !BOARD_CLOCK_SOURCE_HSE ? STM32_CLOCK_AS_DESCRIBED
                                                 : STM32_CLOCK_PLL_FROM_HSI;
        return;
    }
    /* Back to HSI with the PLL off; wait states and over-drive may stay on. */
    (void)switch_sysclk(SW_HSI);
    RCC->CR &= ~RCC_CR_PLLON_BITS;
    outcome = STM32_CLOCK_HSI_ONLY;
#else
    /* SYSCLK straight from the source: HSE, or HSI as it is from reset. */
    if (BOARD_CLOCK_SOURCE_HSE && !hse) {
        outcome = STM32_CLOCK_HSI_ONLY;
        return;
    }
    if (!stm32_flash_set_wait_states(BOARD_CLOCK_FLASH_WAIT_STATES)) {
        outcome = STM32_CLOCK_HSI_ONLY;
        return;
    }
    set_prescalers();
    if (hse && !switch_sysclk(SW_HSE)) {
        outcome = STM32_CLOCK_HSI_ONLY;
        return;
    }
    outcome = STM32_CLOCK_AS_DESCRIBED;
#endif
}

enum stm32_clock_outcome stm32_clock_outcome(void)
{
    return outcome;
}

uint32_t stm32_clock_sysclk_hz(void)
{
    if (outcome == STM32_CLOCK_NO_RCC) {
        return BOARD_CORE_CLOCK_HZ;
    }
    uint32_t sws = (RCC->CFGR & RCC_CFGR_SWS_BITS) >> RCC_CFGR_SWS_LSB;
    if (sws == SW_HSE) {
        return BOARD_CLOCK_SOURCE_HZ;
    }
    if (sws != SW_PLL) {
        return CHIP_FACT_HSI_HZ;
    }
    uint32_t cfg = RCC->PLLCFGR;
    uint32_t in = (cfg & RCC_PLLCFGR_PLLSRC_BITS) ? BOARD_CLOCK_SOURCE_HZ : CHIP_FACT_HSI_HZ;
    uint32_t m = (cfg & RCC_PLLCFGR_PLLM_BITS) >> RCC_PLLCFGR_PLLM_LSB;
    uint32_t n = (cfg & RCC_PLLCFGR_PLLN_BITS) >> RCC_PLLCFGR_PLLN_LSB;
    uint32_t p = 2u * (((cfg & RCC_PLLCFGR_PLLP_BITS) >> RCC_PLLCFGR_PLLP_LSB) + 1u);
    /* 32-bit arithmetic (no libgcc 64-bit division): the M values this driver
     * writes divide their source exactly, and a legal VCO (<= 432 MHz) fits. */
    return m ? in / m * n / p : 0u;
}

uint32_t stm32_clock_bus_hz(uintptr_t base)
{
    /* HPRE coding: 0xxx /1, 1000 /2, 1001 /4, 1010 /8, 1011 /16, 1100 /64 .. 1111 /512. */
    static const uint8_t hpre_shift[8] = {1, 2, 3, 4, 6, 7, 8, 9};
    uint32_t cfgr = outcome == STM32_CLOCK_NO_RCC ? 0u : RCC->CFGR;
    uint32_t hpre = (cfgr & RCC_CFGR_HPRE_BITS) >> RCC_CFGR_HPRE_LSB;
    uint32_t hclk = stm32_clock_sysclk_hz() >> (hpre & 8u ? hpre_shift[hpre & 7u] : 0u);
    uint32_t ppre;
    if (base >= 0x40020000u) {
        return hclk;
    }
    if (outcome == STM32_CLOCK_NO_RCC) {
        /* Nothing to read: the described dividers, as the emulator's clock is. */
        return hclk / (base >= 0x40010000u ? BOARD_CLOCK_APB2_DIV : BOARD_CLOCK_APB1_DIV);
    }
    ppre = base >= 0x40010000u ? (cfgr & RCC_CFGR_PPRE2_BITS) >> RCC_CFGR_PPRE2_LSB
                               : (cfgr & RCC_CFGR_PPRE1_BITS) >> RCC_CFGR_PPRE1_LSB;
    return ppre & 4u ? hclk >> ((ppre & 3u) + 1u) : hclk;
}

void stm32_clock_report(void)
{
    switch (outcome) {
    case STM32_CLOCK_AS_DESCRIBED:
        break;
    case STM32_CLOCK_PLL_FROM_HSI:
        apg_printf("clock: HSE (%lu Hz) did not start; PLL fed from HSI, SYSCLK %lu Hz\r\n",
                   (unsigned long)BOARD_CLOCK_SOURCE_HZ, (unsigned long)stm32_clock_sysclk_hz());
        break;
    case STM32_CLOCK_HSI_ONLY:
        apg_printf("clock: PLL not started; SYSCLK is HSI, %lu Hz, not %lu Hz\r\n",
                   (unsigned long)stm32_clock_sysclk_hz(), (unsigned long)BOARD_CORE_CLOCK_HZ);
        break;
    case STM32_CLOCK_NO_RCC:
        apg_printf("clock: RCC does not respond (reads 0: an emulator without one); clock "
                   "left as it is, taken as the nominal %lu Hz\r\n",
                   (unsigned long)BOARD_CORE_CLOCK_HZ);
        break;
    }
}

/* The core clock really in use (overrides SysTick's weak nominal one), so the
 * monotonic clock keeps time even after a fall-back to the internal oscillator. */
uint32_t hal_core_clock_hz(void)
{
    return stm32_clock_sysclk_hz();
}
