/*
 * A model of the RP2040 blocks hal/rp2040/clocks/clocks.c drives (RESETS, XOSC,
 * PLL_SYS, CLOCKS), run beside the real driver on the host.
 *
 * The driver runs on the main thread against plain structs; a model thread
 * plays the hardware: RESET_DONE follows RESET, XOSC becomes stable once
 * enabled, the PLL locks once powered with a feedback divider in range, and the
 * glitchless muxes report their source in SELECTED. Before it reports a mux
 * switch (which the driver waits for), the model checks what was switched to:
 * clk_ref onto a crystal that is not stable, or clk_sys onto a PLL that is not
 * locked with its post-dividers powered, is recorded as a violation.
 *
 * argv[1]: "ok", "no-xosc" (the crystal never starts), "no-lock" (the PLL never
 * locks). Prints the final registers and the violations as key=value lines.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "apogee/board.h"
#include "apogee/hal.h"
#include "board_config.h"

rp2040_resets_regs_t model_RESETS;
rp2040_xosc_regs_t model_XOSC;
rp2040_pll_regs_t model_PLL_SYS;
rp2040_pll_regs_t model_PLL_USB;
rp2040_clocks_regs_t model_CLOCKS;
rp2040_watchdog_regs_t model_WATCHDOG;
rp2040_io_bank0_regs_t model_IO_BANK0;
rp2040_sio_regs_t model_SIO;
rp2040_timer_regs_t model_TIMER;
rp2040_ssi_regs_t model_XIP_SSI;
pl011_regs_t model_UART0;
pl011_regs_t model_UART1;

static atomic_int stop;
static int xosc_works = 1, pll_locks = 1;
static unsigned violations;
static char violation_text[512];

static void violation(const char *what)
{
    if (violations++ == 0) {
        strncpy(violation_text, what, sizeof violation_text - 1);
    }
}

static void *hardware(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        model_RESETS.RESET_DONE = ~model_RESETS.RESET & 0x01FFFFFFu;

        uint32_t xosc_enable = (model_XOSC.CTRL >> 12) & 0xFFFu;
        int stable = xosc_works && xosc_enable == 0xFABu;
        model_XOSC.STATUS = stable ? (1u << 31) | (1u << 12) : 0u;

        uint32_t pwr = model_PLL_SYS.PWR, fb = model_PLL_SYS.FBDIV_INT;
        int powered = !(pwr & 1u) && !(pwr & (1u << 5));
        int locked = pll_locks && powered && fb >= 16u && fb <= 320u &&
                     !(model_RESETS.RESET & (1u << 12));
        if (locked) {
            model_PLL_SYS.CS |= 1u << 31;
        }
        int pll_out = locked && !(pwr & (1u << 3)) && (model_PLL_SYS.CS & (1u << 31));

        uint32_t ref_src = model_CLOCKS.CLK_REF_CTRL & 3u;
        if (ref_src == 2u && !stable && model_CLOCKS.CLK_REF_SELECTED != (1u << 2)) {
            violation("clk_ref switched to XOSC before it was stable");
        }
        model_CLOCKS.CLK_REF_SELECTED = 1u << ref_src;

        uint32_t sys = model_CLOCKS.CLK_SYS_CTRL;
        uint32_t sys_src = sys & 1u, aux = (sys >> 5) & 7u;
        if (sys_src == 1u && aux == 0u && !pll_out && model_CLOCKS.CLK_SYS_SELECTED != 2u) {
            violation("clk_sys switched to PLL_SYS before it was locked and its output on");
        }
        model_CLOCKS.CLK_SYS_SELECTED = 1u << sys_src;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "ok";
    xosc_works = strcmp(scenario, "no-xosc") != 0;
    pll_locks = strcmp(scenario, "no-lock") != 0;

    /* Reset values (RP2040 datasheet): everything in reset, PLL powered down. */
    model_RESETS.RESET = 0x01FFFFFFu;
    model_PLL_SYS.CS = 0x1u;
    model_PLL_SYS.PWR = 0x2Du;
    model_PLL_SYS.PRIM = 0x77000u;
    model_CLOCKS.CLK_REF_SELECTED = 1u;
    model_CLOCKS.CLK_SYS_SELECTED = 1u;
    model_CLOCKS.CLK_SYS_RESUS_CTRL = 0xFFu;

    pthread_t t;
    pthread_create(&t, NULL, hardware, NULL);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    hal_clock_tree_init();
    clock_gettime(CLOCK_MONOTONIC, &b);
    atomic_store(&stop, 1);
    pthread_join(t, NULL);

    printf("seconds=%.3f\n", (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
    printf("core_clock_hz=%u\n", (unsigned)hal_core_clock_hz());
    printf("violations=%u\n", violations);
    printf("first_violation=%s\n", violation_text);
    printf("RESET=0x%08x\n", (unsigned)model_RESETS.RESET);
    printf("XOSC_CTRL=0x%08x\n", (unsigned)model_XOSC.CTRL);
    printf("XOSC_STARTUP=0x%08x\n", (unsigned)model_XOSC.STARTUP);
    printf("PLL_CS=0x%08x\n", (unsigned)(model_PLL_SYS.CS & ~(1u << 31)));
    printf("PLL_PWR=0x%08x\n", (unsigned)model_PLL_SYS.PWR);
    printf("PLL_FBDIV=%u\n", (unsigned)model_PLL_SYS.FBDIV_INT);
    printf("PLL_PRIM=0x%08x\n", (unsigned)model_PLL_SYS.PRIM);
    printf("CLK_REF_CTRL=0x%08x\n", (unsigned)model_CLOCKS.CLK_REF_CTRL);
    printf("CLK_REF_DIV=0x%08x\n", (unsigned)model_CLOCKS.CLK_REF_DIV);
    printf("CLK_SYS_CTRL=0x%08x\n", (unsigned)model_CLOCKS.CLK_SYS_CTRL);
    printf("CLK_SYS_DIV=0x%08x\n", (unsigned)model_CLOCKS.CLK_SYS_DIV);
    printf("CLK_PERI_CTRL=0x%08x\n", (unsigned)model_CLOCKS.CLK_PERI_CTRL);
    printf("RESUS=0x%08x\n", (unsigned)model_CLOCKS.CLK_SYS_RESUS_CTRL);
    return 0;
}
