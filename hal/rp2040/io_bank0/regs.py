"""RP2040 user bank I/O (RP2040 datasheet 2.19.6.1): per GPIO a status and a
control register; CTRL.FUNCSEL gives the pin to one peripheral (table 2.19.2:
F2 UART, F5 SIO, 31 none)."""

from sdk.model import Field, Register, RegisterBlock

GPIO_COUNT = 30

_CTRL_FIELDS = (
    Field("FUNCSEL", 0, 5, doc="2 UART, 5 SIO, 31 none"),
    Field("OUTOVER", 8, 2), Field("OEOVER", 12, 2), Field("INOVER", 16, 2),
    Field("IRQOVER", 28, 2),
)

BLOCK = RegisterBlock(
    name="rp2040_io_bank0",
    doc="RP2040 IO_BANK0: function select of GPIO0..29",
    registers=tuple(
        reg
        for n in range(GPIO_COUNT)
        for reg in (
            Register(f"GPIO{n}_STATUS", 8 * n, access="ro"),
            Register(f"GPIO{n}_CTRL", 8 * n + 4, _CTRL_FIELDS, reset=0x1F),
        )
    ),
)
