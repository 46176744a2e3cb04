/*
 * RP2040 second-stage boot for a Winbond W25Q080-class flash (the Pico's
 * W25Q16JV answers the same commands): plain serial reads, command 03h.
 *
 * The boot ROM reads the first 256 bytes of flash, checks the CRC-32 in the
 * last 4, copies the block to SRAM at 0x20041F00 and runs it. At that point the
 * XIP SSI is set up for the ROM's own slow transfers, not for execute-in-place.
 * This code sets it to answer every XIP access with one "03h, 24-bit address,
 * 32 bits of data" read, then enters the application through its vector table
 * at 0x10000100 (VTOR, stack pointer, reset handler), as a Cortex-M0+ reset
 * would.
 *
 * It must fit in 252 bytes, run from wherever it was copied (it is linked at
 * 0x20041F00) and touch no memory: its stack pointer is set below the block
 * first, since the ROM's stack may overlap it.
 *
 * Built by sdk/rp2040_boot2.py with the SSI register header generated from
 * hal/rp2040/ssi/regs.py; not part of any image's sources.
 */
#include <stdint.h>

#include "regs/rp2040_ssi.h"

#define XIP_SSI ((rp2040_ssi_regs_t *)0x18000000u)
#define PPB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define IMAGE_VECTORS 0x10000100u

/* SCK = clk_sys / 4: about 1.5 MHz on the ROM's ring oscillator, 31.25 MHz once
 * the HAL runs clk_sys at 125 MHz, within the 50 MHz of the 03h read. */
#define SCK_DIVIDER 4u
#define CMD_READ_DATA 0x03u
#define TMOD_EEPROM_READ 3u
#define SPI_FRF_STD 0u
#define ADDR_L_24_BITS 6u /* in 4-bit units */
#define INST_L_8_BITS 2u
#define TRANS_1C1A 0u

void boot2_entry(void) __attribute__((naked, noreturn, section(".boot2.entry")));
void boot2_main(void) __attribute__((noreturn, used));

void boot2_entry(void)
{
    __asm__ volatile(
        "ldr r0, =0x20041F00\n\t"
        "mov sp, r0\n\t"
        "b boot2_main\n\t"
        ".ltorg");
}

void boot2_main(void)
{
    XIP_SSI->SSIENR = 0; /* configure only while disabled */
    XIP_SSI->BAUDR = SCK_DIVIDER;
    XIP_SSI->CTRLR0 = (SPI_FRF_STD << RP2040_SSI_CTRLR0_SPI_FRF_LSB) |
                      (31u << RP2040_SSI_CTRLR0_DFS_32_LSB) |
                      (TMOD_EEPROM_READ << RP2040_SSI_CTRLR0_TMOD_LSB);
    XIP_SSI->CTRLR1 = 0; /* one data frame per read */
    XIP_SSI->SPI_CTRLR0 = (CMD_READ_DATA << RP2040_SSI_SPI_CTRLR0_XIP_CMD_LSB) |
                          (ADDR_L_24_BITS << RP2040_SSI_SPI_CTRLR0_ADDR_L_LSB) |
                          (INST_L_8_BITS << RP2040_SSI_SPI_CTRLR0_INST_L_LSB) |
                          (TRANS_1C1A << RP2040_SSI_SPI_CTRLR0_TRANS_TYPE_LSB);
    XIP_SSI->SSIENR = RP2040_SSI_SSIENR_SSI_EN_BITS;

    const volatile uint32_t *vectors = (const volatile uint32_t *)IMAGE_VECTORS;
    PPB_VTOR = IMAGE_VECTORS;
    uint32_t sp = vectors[0];
    uint32_t reset = vectors[1];
    __asm__ volatile("msr msp, %0\n\tbx %1" : : "r"(sp), "r"(reset) : "memory");
    __builtin_unreachable();
}
