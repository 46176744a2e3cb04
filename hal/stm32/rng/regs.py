"""STM32F4/F7 true random number generator (RM0090 24.4, RM0410 22.4): 32 bits
per read of DR once DRDY is set; CECS/SECS report a clock or seed error, after
which the value in DR must not be used."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rng",
    doc="STM32 RNG: analog noise source, 32-bit output",
    registers=(
        Register("CR", 0x00, (Field("RNGEN", 2, doc="generator on"),
                              Field("IE", 3, doc="interrupt enable")), doc="control"),
        Register("SR", 0x04, (
            Field("DRDY", 0, access="ro", doc="DR holds a fresh value"),
            Field("CECS", 1, access="ro", doc="clock error now"),
            Field("SECS", 2, access="ro", doc="seed error now"),
            Field("CEIS", 5, doc="clock error seen; write 0 to clear"),
            Field("SEIS", 6, doc="seed error seen; write 0 to clear"),
        ), doc="status"),
        Register("DR", 0x08, access="ro", doc="random data, valid when DRDY"),
    ),
)
