/* Minimal Cortex-M3 start and ARM semihosting for the Curve25519 benchmark. */
#include <stdint.h>
#include <string.h>

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
int main(void);
void bench_reset(void);
void bench_exit(int code);

static void bench_fault(void)
{
    bench_exit(3);
}

__attribute__((section(".vectors"), used)) static const void *const vectors[] = {
    __stack_top, (void *)bench_reset, (void *)bench_fault, (void *)bench_fault,
    (void *)bench_fault, (void *)bench_fault, (void *)bench_fault,
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
    /* SYS_EXIT_EXTENDED: ADP_Stopped_ApplicationExit with a status code. */
    uint32_t block[2] = {0x20026u, (uint32_t)code};
    semihost(0x20, block);
    for (;;) {
    }
}

void bench_reset(void)
{
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
    bench_exit(main());
}
