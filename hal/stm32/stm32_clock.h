/*
 * stm32_clock.h - what the STM32 clock driver (rcc/rcc.c) tells the other STM32
 * drivers, and the one call it needs from the family's flash driver.
 *
 * The clock tree is programmed once, by hal_clock_tree_init(), from the factors
 * the SDK solved (BOARD_CLOCK_* in board_config.h). It may not reach them: a
 * missing crystal, a PLL that does not lock, or no RCC at all (an emulator). The
 * driver never hangs on any of these; it falls back and records what it got, and
 * the functions below report the clock really in use, read from the RCC.
 */
#ifndef HAL_STM32_CLOCK_H
#define HAL_STM32_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* How the clock set-up ended. */
enum stm32_clock_outcome {
    STM32_CLOCK_AS_DESCRIBED = 0, /* the board description's source and SYSCLK */
    STM32_CLOCK_PLL_FROM_HSI,     /* HSE did not start: the PLL runs from HSI, same SYSCLK */
    STM32_CLOCK_HSI_ONLY,         /* the PLL (or over-drive, or flash) failed: SYSCLK = HSI */
    STM32_CLOCK_NO_RCC,           /* the RCC does not respond (reads 0): clock left alone */
};

enum stm32_clock_outcome stm32_clock_outcome(void);

/* SYSCLK in Hz as the RCC reports it now (CFGR.SWS and PLLCFGR). With no RCC,
 * the board's nominal SYSCLK: nothing can be read, and nothing was changed. */
uint32_t stm32_clock_sysclk_hz(void);

/* The clock of the bus that the peripheral at `base` sits on, in Hz, as
 * programmed now: APB1 for 0x40000000..0x4000FFFF, APB2 for 0x40010000..
 * 0x4001FFFF, AHB above (RM0090 and RM0410 memory maps agree). A UART's baud
 * divisor is computed from this at run time. */
uint32_t stm32_clock_bus_hz(uintptr_t base);

/* Print one line on the console when the clock is not what the board
 * description asked for (nothing otherwise). Called once the console is up. */
void stm32_clock_report(void);

/* Implemented by the family's flash driver (flash_f4/, flash_f7/): set the flash
 * wait states, and switch on prefetch and the caches or the ART accelerator.
 * Returns false if ACR does not read back the new latency (then the clock must
 * not be raised). */
bool stm32_flash_set_wait_states(unsigned wait_states);

#endif /* HAL_STM32_CLOCK_H */
