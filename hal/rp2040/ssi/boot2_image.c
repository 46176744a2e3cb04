/*
 * The second-stage boot block at the start of flash: the boot ROM copies these
 * 256 bytes to SRAM, checks their CRC-32 and runs them; they set up the XIP SSI
 * and enter the image through its vector table at flash + 0x100.
 *
 * The bytes are built from hal/rp2040/boot2/boot2.c by sdk/rp2040_boot2.py,
 * which also appends and checks the CRC; the linker script puts .boot2 first.
 */
#include <stdint.h>

#include "rp2040_boot2.h"

__attribute__((section(".boot2"), used)) const uint8_t rp2040_boot2[256] = RP2040_BOOT2_BYTES;
