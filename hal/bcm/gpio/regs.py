"""Broadcom GPIO of BCM2835/BCM2837 and BCM2711 (BCM2835 ARM Peripherals 6.1;
BCM2711 ARM Peripherals 5.2): three function-select bits per pin, ten pins per
GPFSEL register, and set, clear and level registers of one bit per pin. The two
chips differ in their pull-up/down registers, which are not described here."""

from sdk.model import Register, RegisterBlock

BLOCK = RegisterBlock(
    name="bcm_gpio",
    doc="Broadcom GPIO: function select, set, clear, level",
    registers=(
        *(Register(f"GPFSEL{n}", 4 * n, doc=f"function of pins {10 * n}..{10 * n + 9}, "
                   "3 bits each: 0 input, 1 output, 4..7 ALT0..3, 3 ALT4, 2 ALT5")
          for n in range(6)),
        Register("GPSET0", 0x1C, access="wo", doc="1 drives pins 0..31 high"),
        Register("GPSET1", 0x20, access="wo", doc="1 drives pins 32..53 high"),
        Register("GPCLR0", 0x28, access="wo", doc="1 drives pins 0..31 low"),
        Register("GPCLR1", 0x2C, access="wo", doc="1 drives pins 32..53 low"),
        Register("GPLEV0", 0x34, access="ro", doc="levels of pins 0..31"),
        Register("GPLEV1", 0x38, access="ro", doc="levels of pins 32..53"),
    ),
)
