/*
 * Cortex-M reset: copy .data from flash, zero .bss, switch the FPU on where the
 * core has one, bring the board up, run the app, and hand its status to hal_exit.
 */
#include <stdint.h>
#include <string.h>

#include "apogee/board.h"
#include "apogee/hal.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void) __attribute__((noreturn));

void Reset_Handler(void)
{
    memcpy(&__data_start, &__data_load,
           (size_t)((uintptr_t)&__data_end - (uintptr_t)&__data_start));
    memset(&__bss_start, 0, (size_t)((uintptr_t)&__bss_end - (uintptr_t)&__bss_start));
#if defined(__ARM_FP)
    /* CP10 and CP11 full access: the compiler may use the FPU from here on. */
    SCB_CPACR |= (0xFu << 20);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    board_init();
    hal_exit(app_main());
}
