"""Raspberry Pi Pico: RP2040 at 125 MHz from a 12 MHz crystal, 2 MiB W25Q16JV
flash, a green LED on GPIO25. Hardware only (QEMU 7.2 has no RP2040).

Console: UART0 on GPIO0 (TX, pin 1) and GPIO1 (RX, pin 2), 115200 8N1.
Flashing: hold BOOTSEL while plugging USB in and copy build/pico/<app>/<app>.uf2
to the RPI-RP2 drive, or use a debug probe on the SWD pins (pyocd target rp2040).
"""

from sdk.model import Board, Console, Led, Uf2Flash

BOARD = Board(
    name="pico",
    description="Raspberry Pi Pico, RP2040 Cortex-M0+ at 125 MHz (hardware, UF2 or pyocd)",
    vendor="Raspberry Pi",
    chip="rp2040",
    console=Console(uart="UART0", tx="GPIO0", rx="GPIO1"),
    leds=(Led("green", pin="GPIO25"),),
    flash=Uf2Flash(family_id=0xE48BFF56, pyocd_target="rp2040"),
)
