"""SiFive GPIO (FE310-G002 manual, chapter 17): one bit per pin in each register;
IOF_EN hands a pin to a peripheral, IOF_SEL picks which of its two."""

from sdk.model import Register, RegisterBlock

BLOCK = RegisterBlock(
    name="sifive_gpio",
    doc="SiFive GPIO, 32 pins, one bit per pin",
    registers=(
        Register("INPUT_VAL", 0x00, access="ro", doc="pin levels (with INPUT_EN)"),
        Register("INPUT_EN", 0x04, doc="input buffer enable"),
        Register("OUTPUT_EN", 0x08, doc="output driver enable"),
        Register("OUTPUT_VAL", 0x0C, doc="output levels"),
        Register("PUE", 0x10, doc="internal pull-up enable"),
        Register("DS", 0x14, doc="drive strength"),
        Register("RISE_IE", 0x18),
        Register("RISE_IP", 0x1C, access="w1c"),
        Register("FALL_IE", 0x20),
        Register("FALL_IP", 0x24, access="w1c"),
        Register("HIGH_IE", 0x28),
        Register("HIGH_IP", 0x2C, access="w1c"),
        Register("LOW_IE", 0x30),
        Register("LOW_IP", 0x34, access="w1c"),
        Register("IOF_EN", 0x38, doc="pin driven by a peripheral I/O function"),
        Register("IOF_SEL", 0x3C, doc="0: I/O function 0, 1: I/O function 1"),
        Register("OUT_XOR", 0x40, doc="invert the output"),
    ),
)
