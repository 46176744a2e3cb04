"""STM32F4 USART (RM0090 rev 19, section 30.6): the status-register layout, where
one DR register holds both the byte received and the byte to send."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="usart_f4",
    doc="STM32F4 USART/UART (RM0090 30.6): SR, DR, BRR, CR1..CR3, GTPR",
    registers=(
        Register("SR", 0x00, (
            Field("PE", 0, access="ro", doc="parity error"),
            Field("FE", 1, access="ro", doc="framing error"),
            Field("NF", 2, access="ro", doc="noise"),
            Field("ORE", 3, access="ro", doc="overrun; cleared by reading SR then DR"),
            Field("IDLE", 4, access="ro"),
            Field("RXNE", 5, doc="a byte waits in DR"),
            Field("TC", 6, doc="transmission complete"),
            Field("TXE", 7, access="ro", doc="DR can take the next byte"),
            Field("LBD", 8),
            Field("CTS", 9),
        ), reset=0x00C0, doc="status"),
        Register("DR", 0x04, (Field("DR", 0, 9),), doc="data: read = received, write = send"),
        Register("BRR", 0x08, (
            Field("DIV_FRACTION", 0, 4), Field("DIV_MANTISSA", 4, 12),
        ), doc="baud rate: with OVER8=0, f_ck / baud rounded"),
        Register("CR1", 0x0C, (
            Field("SBK", 0), Field("RWU", 1), Field("RE", 2), Field("TE", 3),
            Field("IDLEIE", 4), Field("RXNEIE", 5), Field("TCIE", 6), Field("TXEIE", 7),
            Field("PEIE", 8), Field("PS", 9), Field("PCE", 10), Field("WAKE", 11),
            Field("M", 12, doc="0: 8 data bits"), Field("UE", 13, doc="USART enable"),
            Field("OVER8", 15, doc="0: oversampling by 16"),
        ), doc="control 1"),
        Register("CR2", 0x10, (Field("STOP", 12, 2, doc="0: one stop bit"),), doc="control 2"),
        Register("CR3", 0x14, (
            Field("EIE", 0), Field("DMAR", 6), Field("DMAT", 7), Field("RTSE", 8),
            Field("CTSE", 9), Field("ONEBIT", 11),
        ), doc="control 3"),
        Register("GTPR", 0x18, (Field("PSC", 0, 8), Field("GT", 8, 8)),
                 doc="guard time and prescaler"),
    ),
)
