/*
 * startup.c - the smallest Cortex-M3 start for the benchmark image: a vector
 * table with the initial stack and the reset handler, .data/.bss set-up, and
 * semihosting for output and exit (QEMU -semihosting-config enable=on).
 */
#include <stdint.h>
#include <string.h>

#include "bench.h"

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
int main(void);

static void fault_handler(void)
{
    bench_puts("FAULT\n");
    bench_exit(3);
}

void reset_handler(void)
{
    memcpy(&__data_start, &__data_load,
           (size_t)((uint8_t *)&__data_end - (uint8_t *)&__data_start));
    memset(&__bss_start, 0, (size_t)((uint8_t *)&__bss_end - (uint8_t *)&__bss_start));
    bench_exit(main());
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top,
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
};

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void bench_puts(const char *s)
{
    semihost(0x04, s); /* SYS_WRITE0 */
}

void bench_exit(int code)
{
    /* SYS_EXIT with ADP_Stopped_ApplicationExit and the exit code */
    static uint32_t args[2];
    args[0] = 0x20026;
    args[1] = (uint32_t)code;
    semihost(0x20, args); /* SYS_EXIT_EXTENDED */
    for (;;) {
    }
}
