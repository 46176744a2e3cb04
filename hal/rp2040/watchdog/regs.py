"""RP2040 watchdog (RP2040 datasheet 4.7.6), of which the HAL uses the tick
generator: it divides clk_ref down to the 1 us tick of the watchdog and TIMER."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_watchdog",
    doc="RP2040 WATCHDOG and its tick generator",
    registers=(
        Register("CTRL", 0x00, (Field("TIME", 0, 24, access="ro"), Field("ENABLE", 30),
                                Field("TRIGGER", 31, access="wo")), reset=0x07000000),
        Register("LOAD", 0x04, access="wo"),
        Register("REASON", 0x08, access="ro"),
        Register("TICK", 0x2C, (
            Field("CYCLES", 0, 9, doc="clk_ref cycles per tick"), Field("ENABLE", 9),
            Field("RUNNING", 10, access="ro"), Field("COUNT", 11, 9, access="ro"),
        ), reset=0x200),
    ),
)
