"""Raspberry Pi 4 Model B: BCM2711, four Cortex-A72 at 1.5 GHz, 1 to 8 GB SDRAM.

Console: the PL011 (UART0) on header pins 8 (GPIO14, TXD) and 10 (GPIO15, RXD),
freed from Bluetooth by the SD-card folder's config.txt (dtoverlay=disable-bt).

LED: the green ACT LED is driven through the firmware's GPIO expander, out of
reach of the GPIO block, so the user LED is GPIO17 (header pin 11): wire an LED
and a resistor to it. Hardware only: QEMU 7.2 has no Raspberry Pi 4 machine.
"""

from sdk.model import Board, Console, Led, NetworkInterface, SdCardFlash

BOARD = Board(
    name="rpi4",
    description="Raspberry Pi 4 Model B, BCM2711 Cortex-A72 AArch64 (hardware, SD card)",
    vendor="Raspberry Pi",
    chip="bcm2711",
    console=Console(uart="UART0", tx="GPIO14", rx="GPIO15"),
    leds=(Led("user", pin="GPIO17"),),
    # The on-chip GENET Ethernet MAC; its driver is later work.
    network=NetworkInterface(driver="genet"),
    flash=SdCardFlash(kernel="kernel8.img"),
)
