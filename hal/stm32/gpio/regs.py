"""STM32F4/F7 GPIO port (RM0090 8.4, RM0410 6.4: the same layout on both): 16 pins
per port, two mode bits, two speed bits, two pull bits and four alternate-function
bits per pin."""

from sdk.model import Field, Register, RegisterBlock

PINS = range(16)


def per_pin(prefix: str, width: int, access: str = "rw", first: int = 0) -> tuple[Field, ...]:
    """One field per pin: <prefix><n>, `width` bits each."""
    return tuple(Field(f"{prefix}{n}", (n - first) * width, width, access=access)
                 for n in PINS if first <= n < first + 32 // width)


BLOCK = RegisterBlock(
    name="gpio",
    doc="STM32 GPIO port: MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR, AFRL/AFRH",
    registers=(
        Register("MODER", 0x00, per_pin("MODER", 2),
                 doc="per pin: 00 input, 01 output, 10 alternate function, 11 analog; "
                 "reset 0 except ports A and B (debug pins)"),
        Register("OTYPER", 0x04, per_pin("OT", 1), doc="per pin: 0 push-pull, 1 open drain"),
        Register("OSPEEDR", 0x08, per_pin("OSPEEDR", 2),
                 doc="per pin: 00 low .. 11 very high speed"),
        Register("PUPDR", 0x0C, per_pin("PUPDR", 2),
                 doc="per pin: 00 none, 01 pull-up, 10 pull-down"),
        Register("IDR", 0x10, per_pin("IDR", 1, "ro"), access="ro",
                 doc="input data: the level on each pin"),
        Register("ODR", 0x14, per_pin("ODR", 1), doc="output data"),
        Register("BSRR", 0x18, per_pin("BS", 1, "wo") + tuple(
            Field(f"BR{n}", 16 + n, access="wo") for n in PINS), access="wo",
            doc="bit set (low half) and reset (high half), atomic"),
        Register("LCKR", 0x1C, (Field("LCKK", 16),), doc="configuration lock"),
        Register("AFRL", 0x20, per_pin("AFRL", 4, first=0),
                 doc="AFR[0]: alternate function of pins 0..7, four bits each"),
        Register("AFRH", 0x24, per_pin("AFRH", 4, first=8),
                 doc="AFR[1]: alternate function of pins 8..15, four bits each"),
    ),
)
