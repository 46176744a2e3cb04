"""SiFive UART (FE310-G002 manual, chapter 18): transmit and receive FIFOs of 8
entries, a 16-bit baud divisor (baud = tlclk / (div + 1))."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="sifive_uart",
    doc="SiFive UART",
    registers=(
        Register("TXDATA", 0x00, (
            Field("DATA", 0, 8), Field("FULL", 31, access="ro", doc="transmit FIFO full"),
        ), doc="write: queue a byte; read: FULL"),
        Register("RXDATA", 0x04, (
            Field("DATA", 0, 8, access="ro"),
            Field("EMPTY", 31, access="ro", doc="nothing received; DATA invalid"),
        ), access="ro", doc="read pops one byte"),
        Register("TXCTRL", 0x08, (
            Field("TXEN", 0), Field("NSTOP", 1, doc="two stop bits"),
            Field("TXCNT", 16, 3, doc="transmit watermark"),
        )),
        Register("RXCTRL", 0x0C, (Field("RXEN", 0), Field("RXCNT", 16, 3))),
        Register("IE", 0x10, (Field("TXWM", 0), Field("RXWM", 1))),
        Register("IP", 0x14, (Field("TXWM", 0, access="ro"), Field("RXWM", 1, access="ro")),
                 access="ro"),
        Register("DIV", 0x18, (Field("DIV", 0, 16),), reset=0x0000FFFF,
                 doc="baud = tlclk / (DIV + 1)"),
    ),
)
