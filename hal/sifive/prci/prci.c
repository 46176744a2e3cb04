/*
 * FE310 clock tree: the core (and the peripheral bus, which runs at the core
 * clock) from the board's 16 MHz crystal through the PLL in bypass, so the
 * UART divisor is exact whatever the boot loader left behind.
 *
 * Order matters (FE310-G002 manual, 6.4-6.6): the PLL's inputs may only change
 * while the core runs from HFROSC, so switch to HFROSC first, then reconfigure,
 * then switch to the PLL output. Every wait is bounded: an oscillator that
 * never becomes ready leaves the core on HFROSC rather than hanging the boot.
 */
#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

#define READY_SPINS 1000000u /* far longer than the oscillators' start-up */

/* HFROSC at reset: 72 MHz / (DIV + 1) with DIV 4, about 13.8 MHz (FE310-G002
 * manual 6.3; untrimmed, so only roughly). What the core runs at if the
 * crystal does not start. */
#define HFROSC_RESET_HZ 13800000u

static uint32_t core_hz = HFROSC_RESET_HZ;

static bool wait_set(volatile uint32_t *reg, uint32_t bits)
{
    for (uint32_t i = 0; i < READY_SPINS; i++) {
        if (*reg & bits) {
            return true;
        }
    }
    return false;
}

void hal_clock_tree_init(void)
{
    PRCI->HFROSCCFG |= SIFIVE_PRCI_HFROSCCFG_EN_BITS;
    if (!wait_set(&PRCI->HFROSCCFG, SIFIVE_PRCI_HFROSCCFG_RDY_BITS)) {
        return;
    }
    PRCI->PLLCFG &= ~SIFIVE_PRCI_PLLCFG_SEL_BITS; /* core from HFROSC meanwhile */

    PRCI->HFXOSCCFG |= SIFIVE_PRCI_HFXOSCCFG_EN_BITS;
    if (!wait_set(&PRCI->HFXOSCCFG, SIFIVE_PRCI_HFXOSCCFG_RDY_BITS)) {
        return;
    }
    PRCI->PLLCFG = SIFIVE_PRCI_PLLCFG_REFSEL_BITS | SIFIVE_PRCI_PLLCFG_BYPASS_BITS;
    PRCI->PLLOUTDIV = SIFIVE_PRCI_PLLOUTDIV_DIVBY1_BITS;
    PRCI->PLLCFG |= SIFIVE_PRCI_PLLCFG_SEL_BITS; /* core = HFXOSC = 16 MHz */
    core_hz = BOARD_CORE_CLOCK_HZ;
}

uint32_t hal_core_clock_hz(void)
{
    return core_hz; /* what the set-up achieved, as hal.h promises */
}
