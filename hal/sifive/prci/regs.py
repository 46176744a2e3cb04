"""FE310 power, reset, clock and interrupt block (PRCI; FE310-G002 manual, chapter 6):
the internal (HFROSC) and crystal (HFXOSC) oscillators and the PLL that feed the
core clock."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="sifive_prci",
    doc="FE310 PRCI: oscillators and PLL",
    registers=(
        Register("HFROSCCFG", 0x0, (
            Field("DIV", 0, 6), Field("TRIM", 16, 5), Field("EN", 30),
            Field("RDY", 31, access="ro"),
        ), doc="internal ring oscillator"),
        Register("HFXOSCCFG", 0x4, (Field("EN", 30), Field("RDY", 31, access="ro")),
                 doc="crystal oscillator"),
        Register("PLLCFG", 0x8, (
            Field("R", 0, 3, doc="reference divider - 1"),
            Field("F", 4, 6, doc="feedback multiplier / 2 - 1"),
            Field("Q", 10, 2, doc="output divider, log2"),
            Field("SEL", 16, doc="core clock from the PLL (else from HFROSC)"),
            Field("REFSEL", 17, doc="PLL reference from HFXOSC (else HFROSC)"),
            Field("BYPASS", 18, doc="PLL output is its reference"),
            Field("LOCK", 31, access="ro"),
        ), doc="PLL configuration"),
        Register("PLLOUTDIV", 0xC, (Field("DIV", 0, 6), Field("DIVBY1", 8)),
                 doc="PLL final divider"),
    ),
)
