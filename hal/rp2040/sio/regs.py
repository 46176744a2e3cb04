"""RP2040 single-cycle I/O (RP2040 datasheet 2.3.1.7), the GPIO part: one bit per
GPIO, with atomic set, clear and XOR aliases of the output and output-enable."""

from sdk.model import Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_sio",
    doc="RP2040 SIO: processor-local GPIO",
    registers=(
        Register("CPUID", 0x00, access="ro", doc="0 on core 0, 1 on core 1"),
        Register("GPIO_IN", 0x04, access="ro", doc="levels of GPIO0..29"),
        Register("GPIO_HI_IN", 0x08, access="ro", doc="levels of the QSPI pins"),
        Register("GPIO_OUT", 0x10),
        Register("GPIO_OUT_SET", 0x14, access="wo"),
        Register("GPIO_OUT_CLR", 0x18, access="wo"),
        Register("GPIO_OUT_XOR", 0x1C, access="wo"),
        Register("GPIO_OE", 0x20),
        Register("GPIO_OE_SET", 0x24, access="wo"),
        Register("GPIO_OE_CLR", 0x28, access="wo"),
        Register("GPIO_OE_XOR", 0x2C, access="wo"),
    ),
)
