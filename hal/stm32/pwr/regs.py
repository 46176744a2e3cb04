"""STM32F4/F7 power controller (RM0090 5.4, RM0410 4.4). RM0410 calls these CR1
and CSR1 (it adds CR2/CSR2 for wake-up pins); the offsets and the bits described
here are the same on both. Over-drive exists on the F42x/F43x and the F7 only."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="pwr",
    doc="STM32F4/F7 power control: regulator scale and over-drive",
    registers=(
        Register("CR", 0x00, (
            Field("LPDS", 0), Field("PDDS", 1), Field("DBP", 8, doc="backup domain access"),
            Field("VOS", 14, 2, doc="regulator scale; reset value is scale 1 (the fastest)"),
            Field("ODEN", 16, doc="over-drive enable (F42x/F7)"),
            Field("ODSWEN", 17, doc="over-drive switch (F42x/F7)"),
        ), reset=0x0000C000, doc="power control (CR1 on F7)"),
        Register("CSR", 0x04, (
            Field("WUF", 0, access="ro"), Field("SBF", 1, access="ro"),
            Field("VOSRDY", 14, access="ro"),
            Field("ODRDY", 16, access="ro", doc="over-drive ready"),
            Field("ODSWRDY", 17, access="ro", doc="over-drive switch ready"),
        ), access="ro", doc="power control/status (CSR1 on F7)"),
    ),
)
