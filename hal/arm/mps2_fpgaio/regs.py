"""MPS2 FPGA I/O block: the user LEDs and switches (AN385 application note, 3.9)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="mps2_fpgaio",
    doc="MPS2 FPGA system control and I/O",
    registers=(
        Register("LED", 0x0, (Field("LED", 0, 2),), doc="user LEDs, read back"),
        Register("BUTTON", 0x8, (Field("BUTTON", 0, 2, access="ro"),)),
        Register("CLK1HZ", 0x10, access="ro"),
        Register("CLK100HZ", 0x14, access="ro"),
        Register("COUNTER", 0x18),
    ),
)
