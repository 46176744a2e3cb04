"""SysTick, the Cortex-M core timer (ARMv7-M Architecture Reference Manual, B3.3)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="systick",
    doc="SysTick timer at 0xE000E010 on every Cortex-M",
    registers=(
        Register("CSR", 0x0, (
            Field("ENABLE", 0), Field("TICKINT", 1), Field("CLKSOURCE", 2),
            Field("COUNTFLAG", 16, access="ro"),
        ), doc="control and status"),
        Register("RVR", 0x4, (Field("RELOAD", 0, 24),), doc="reload value"),
        Register("CVR", 0x8, (Field("CURRENT", 0, 24),), doc="current value, counts down"),
        Register("CALIB", 0xC, access="ro", doc="calibration"),
    ),
)
