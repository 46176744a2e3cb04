"""RP2040 clock generators (RP2040 datasheet 2.15.7), the registers of the three
the HAL sets: clk_ref, clk_sys (both glitchless: SELECTED says which source is
live) and clk_peri (the UARTs' clock)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_clocks",
    doc="RP2040 CLOCKS: clk_ref, clk_sys, clk_peri",
    registers=(
        Register("CLK_REF_CTRL", 0x30, (
            Field("SRC", 0, 2, doc="0 ROSC, 1 aux, 2 XOSC"), Field("AUXSRC", 5, 2),
        )),
        Register("CLK_REF_DIV", 0x34, (Field("INT", 8, 2),), reset=0x100),
        Register("CLK_REF_SELECTED", 0x38, access="ro",
                 doc="one-hot: which SRC is live (bit 0 ROSC, 2 XOSC)"),
        Register("CLK_SYS_CTRL", 0x3C, (
            Field("SRC", 0, doc="0 clk_ref, 1 aux"),
            Field("AUXSRC", 5, 3, doc="0 PLL_SYS, 1 PLL_USB, 2 ROSC, 3 XOSC"),
        )),
        Register("CLK_SYS_DIV", 0x40, (Field("FRAC", 0, 8), Field("INT", 8, 24)), reset=0x100),
        Register("CLK_SYS_SELECTED", 0x44, access="ro",
                 doc="one-hot: bit 0 clk_ref, bit 1 aux"),
        Register("CLK_PERI_CTRL", 0x48, (
            Field("AUXSRC", 5, 3, doc="0 clk_sys, 1 PLL_SYS, 2 PLL_USB, 3 ROSC, 4 XOSC"),
            Field("KILL", 10), Field("ENABLE", 11),
        )),
        Register("CLK_PERI_SELECTED", 0x50, access="ro"),
        Register("CLK_SYS_RESUS_CTRL", 0x78, (
            Field("TIMEOUT", 0, 8), Field("ENABLE", 8), Field("FRCE", 12), Field("CLEAR", 16),
        ), reset=0xFF, doc="resuscitation of a stopped clk_sys"),
    ),
)
