/*
 * hal_exit through the SiFive test device: QEMU's virt machine powers off when it
 * is written, with exit status 0 for 0x5555 and `code` for (code << 16) | 0x3333.
 */
#include <stdint.h>

#include "apogee/hal.h"
#include "board_config.h"

#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

void hal_exit(int status)
{
    /* A failure must not read as success: status 0x10000 would truncate to code
     * 0 in the 16-bit field, so such codes become 1. */
    uint32_t code = (uint32_t)status & 0xFFFFu;
    if (status != 0 && code == 0) {
        code = 1;
    }
    TEST->FINISHER = status == 0 ? FINISHER_PASS : (code << SIFIVE_TEST_FINISHER_CODE_LSB) |
                                                       FINISHER_FAIL;
    for (;;) {
        __asm__ volatile("wfi");
    }
}
