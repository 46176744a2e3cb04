"""RP2040 crystal oscillator (RP2040 datasheet 2.16.7)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_xosc",
    doc="RP2040 XOSC: the crystal oscillator (12 MHz on Pico)",
    registers=(
        Register("CTRL", 0x00, (
            Field("FREQ_RANGE", 0, 12, doc="0xAA0: 1..15 MHz"),
            Field("ENABLE", 12, 12, doc="0xFAB enable, 0xD1E disable"),
        ), doc="control"),
        Register("STATUS", 0x04, (
            Field("FREQ_RANGE", 0, 2, access="ro"), Field("ENABLED", 12, access="ro"),
            Field("BADWRITE", 24, access="w1c"),
            Field("STABLE", 31, access="ro", doc="the start-up delay has elapsed"),
        )),
        Register("DORMANT", 0x08),
        Register("STARTUP", 0x0C, (
            Field("DELAY", 0, 14, doc="start-up delay in units of 256 crystal cycles"),
            Field("X4", 20, doc="multiply the delay by 4"),
        ), reset=0xC4),
        Register("COUNT", 0x1C, (Field("COUNT", 0, 8),), doc="down-counter at the XOSC rate"),
    ),
)
