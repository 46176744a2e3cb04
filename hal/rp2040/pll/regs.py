"""RP2040 PLL (RP2040 datasheet 2.18.4): FOUTVCO = FREF / REFDIV x FBDIV, then two
post-dividers; the VCO must run between 750 and 1600 MHz."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_pll",
    doc="RP2040 PLL_SYS / PLL_USB",
    registers=(
        Register("CS", 0x0, (
            Field("REFDIV", 0, 6), Field("BYPASS", 8), Field("LOCK", 31, access="ro"),
        ), reset=0x1, doc="control and status"),
        Register("PWR", 0x4, (
            Field("PD", 0, doc="power down the PLL"), Field("DSMPD", 2),
            Field("POSTDIVPD", 3, doc="power down the post-dividers"),
            Field("VCOPD", 5, doc="power down the VCO"),
        ), reset=0x2D),
        Register("FBDIV_INT", 0x8, (Field("FBDIV_INT", 0, 12),), doc="feedback divider, 16..320"),
        Register("PRIM", 0xC, (Field("POSTDIV2", 12, 3), Field("POSTDIV1", 16, 3)),
                 reset=0x77000, doc="post-dividers, 1..7 each"),
    ),
)
