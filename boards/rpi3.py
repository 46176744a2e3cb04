"""Raspberry Pi 3 Model B: BCM2837, four Cortex-A53 at 1.2 GHz, 1 GB SDRAM.

Console: the PL011 (UART0) on header pins 8 (GPIO14, TXD) and 10 (GPIO15, RXD);
on the board it serves the Bluetooth chip unless config.txt says otherwise, and
the SD-card folder's config.txt says dtoverlay=disable-bt. QEMU's raspi3b gives
it as the first serial port.

LED: the board's green ACT LED sits behind the firmware's GPIO expander on a
Pi 3, out of reach of the GPIO block, so the user LED is GPIO17 (header pin 11):
wire an LED and a resistor to it.
"""

from sdk.model import Board, Console, Emulated, Led, SdCardFlash

BOARD = Board(
    name="rpi3",
    description="Raspberry Pi 3 Model B, BCM2837 Cortex-A53 AArch64 (QEMU raspi3b, SD card)",
    vendor="Raspberry Pi",
    chip="bcm2837",
    console=Console(uart="UART0", tx="GPIO14", rx="GPIO15"),
    leds=(Led("user", pin="GPIO17"),),
    flash=SdCardFlash(kernel="kernel8.img"),
    emulator=Emulated(qemu="qemu-system-aarch64", machine="raspi3b", exit="semihosting"),
)
