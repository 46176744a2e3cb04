/*
 * RP2040 clock tree: XOSC (12 MHz) -> clk_ref; XOSC -> PLL_SYS (VCO 1500 MHz,
 * / 6 / 2 = 125 MHz) -> clk_sys -> clk_peri (UARTs). Then every peripheral
 * whose clock now runs is taken out of reset, as the RP2040 SDK's run-time does
 * (ADC, RTC and USB stay in reset: their clocks are not started).
 *
 * Order (RP2040 datasheet 2.15, 2.16, 2.18): clk_sys and clk_ref leave the
 * PLL and the XOSC before either is changed (the glitchless muxes say when
 * they have), the PLL is reset and programmed while nothing uses it, and every
 * wait is bounded. A crystal that never starts leaves the chip on its ring
 * oscillator (about 6 MHz) instead of hanging the boot.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

/* Polls of a status bit before giving up: about 0.5 s on the 6 MHz ring
 * oscillator, far longer than any of these waits takes on a working chip. */
#ifndef APOGEE_CLOCK_WAIT_SPINS
#define APOGEE_CLOCK_WAIT_SPINS 1000000u
#endif

#define XOSC_RANGE_1_15MHZ 0xAA0u
#define XOSC_ENABLE_KEY 0xFABu
/* Start-up delay in units of 256 crystal cycles: 1 ms, times 64 for slow crystals. */
#define XOSC_DELAY ((((CHIP_FACT_XOSC_HZ / 1000u) + 128u) / 256u) * 64u)
_Static_assert(XOSC_DELAY < (1u << 14), "XOSC start-up delay out of range");

#define REF_SRC_ROSC 0u
#define REF_SRC_XOSC 2u
#define SYS_AUXSRC_PLL_SYS 0u
#define PERI_AUXSRC_CLK_SYS 0u

/* 12 MHz / 1 x 125 = 1500 MHz VCO; / 6 / 2 = 125 MHz. */
#define PLL_REFDIV 1u
#define PLL_FBDIV 125u
#define PLL_POSTDIV1 6u
#define PLL_POSTDIV2 2u
_Static_assert(CHIP_FACT_XOSC_HZ / PLL_REFDIV * PLL_FBDIV / PLL_POSTDIV1 / PLL_POSTDIV2 ==
                   BOARD_CORE_CLOCK_HZ,
               "PLL_SYS factors do not give the chip's core clock");

/* The ring oscillator's nominal rate (datasheet 2.17: 1.8 to 12 MHz, typically
 * 6.5): what clk_sys runs at when the crystal or the PLL does not start. */
#define ROSC_NOMINAL_HZ 6500000u

#define R(name) (1u << RP2040_RESETS_RESET_##name##_LSB)
/* Kept as they are: the flash interface we execute from, the PLLs (reset
 * below, once nothing runs from them), USB, and SYSCFG. */
#define KEEP_RUNNING (R(IO_QSPI) | R(PADS_QSPI) | R(PLL_SYS) | R(PLL_USB) | R(USBCTRL) | \
                      R(SYSCFG))
#define ALL_PERIPHERALS 0x01FFFFFFu
#define UNCLOCKED (R(ADC) | R(RTC) | R(USBCTRL) | R(PLL_USB))

static uint32_t clk_sys_hz = ROSC_NOMINAL_HZ;

static bool wait_set(volatile uint32_t *reg, uint32_t bits)
{
    for (uint32_t i = 0; i < APOGEE_CLOCK_WAIT_SPINS; i++) {
        if ((*reg & bits) == bits) {
            return true;
        }
    }
    return false;
}

static bool unreset(uint32_t mask)
{
    RESETS->RESET &= ~mask;
    return wait_set(&RESETS->RESET_DONE, mask);
}

static bool pll_sys_start(void)
{
    RESETS->RESET |= R(PLL_SYS);
    if (!unreset(R(PLL_SYS))) {
        return false;
    }
    PLL_SYS->CS = PLL_REFDIV << RP2040_PLL_CS_REFDIV_LSB;
    PLL_SYS->FBDIV_INT = PLL_FBDIV;
    PLL_SYS->PWR &= ~(RP2040_PLL_PWR_PD_BITS | RP2040_PLL_PWR_VCOPD_BITS);
    if (!wait_set(&PLL_SYS->CS, RP2040_PLL_CS_LOCK_BITS)) {
        return false;
    }
    PLL_SYS->PRIM = (PLL_POSTDIV1 << RP2040_PLL_PRIM_POSTDIV1_LSB) |
                    (PLL_POSTDIV2 << RP2040_PLL_PRIM_POSTDIV2_LSB);
    PLL_SYS->PWR &= ~RP2040_PLL_PWR_POSTDIVPD_BITS;
    return true;
}

void hal_clock_tree_init(void)
{
    RESETS->RESET |= ALL_PERIPHERALS & ~KEEP_RUNNING; /* a known state after a warm reset */
    CLOCKS->CLK_SYS_RESUS_CTRL = 0;

    /* clk_sys from clk_ref, clk_ref from the ring oscillator: off XOSC and PLL. */
    CLOCKS->CLK_SYS_CTRL &= ~RP2040_CLOCKS_CLK_SYS_CTRL_SRC_BITS;
    wait_set(&CLOCKS->CLK_SYS_SELECTED, 1u << 0);
    CLOCKS->CLK_REF_CTRL = (CLOCKS->CLK_REF_CTRL & ~RP2040_CLOCKS_CLK_REF_CTRL_SRC_BITS) |
                           REF_SRC_ROSC;
    wait_set(&CLOCKS->CLK_REF_SELECTED, 1u << REF_SRC_ROSC);

    XOSC->CTRL = XOSC_RANGE_1_15MHZ;
    XOSC->STARTUP = XOSC_DELAY;
    XOSC->CTRL = (XOSC_ENABLE_KEY << RP2040_XOSC_CTRL_ENABLE_LSB) | XOSC_RANGE_1_15MHZ;
    bool ok = wait_set(&XOSC->STATUS, RP2040_XOSC_STATUS_STABLE_BITS) && pll_sys_start();

    if (ok) {
        CLOCKS->CLK_REF_DIV = 1u << RP2040_CLOCKS_CLK_REF_DIV_INT_LSB;
        CLOCKS->CLK_REF_CTRL = REF_SRC_XOSC;
        wait_set(&CLOCKS->CLK_REF_SELECTED, 1u << REF_SRC_XOSC);

        /* The aux mux may only change while clk_sys runs from clk_ref. */
        CLOCKS->CLK_SYS_DIV = 1u << RP2040_CLOCKS_CLK_SYS_DIV_INT_LSB;
        CLOCKS->CLK_SYS_CTRL = SYS_AUXSRC_PLL_SYS << RP2040_CLOCKS_CLK_SYS_CTRL_AUXSRC_LSB;
        CLOCKS->CLK_SYS_CTRL |= RP2040_CLOCKS_CLK_SYS_CTRL_SRC_BITS;
        if (wait_set(&CLOCKS->CLK_SYS_SELECTED, 1u << 1)) {
            clk_sys_hz = BOARD_CORE_CLOCK_HZ;
        }
    }
    CLOCKS->CLK_PERI_CTRL = RP2040_CLOCKS_CLK_PERI_CTRL_ENABLE_BITS |
                            (PERI_AUXSRC_CLK_SYS << RP2040_CLOCKS_CLK_PERI_CTRL_AUXSRC_LSB);

    unreset(ALL_PERIPHERALS & ~UNCLOCKED);
}

uint32_t hal_core_clock_hz(void)
{
    return clk_sys_hz; /* what the set-up achieved, as hal.h promises */
}
