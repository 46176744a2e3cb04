"""STM32F7 USART (RM0410 rev 4, section 34.8): separate interrupt-status, clear,
receive and transmit registers, and CR1 at offset 0 -- a different layout from
the F4's, so a different block and driver."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="usart_f7",
    doc="STM32F7 USART/UART (RM0410 34.8): CR1..CR3, BRR, ISR, ICR, RDR, TDR",
    registers=(
        Register("CR1", 0x00, (
            Field("UE", 0, doc="USART enable"), Field("RE", 2), Field("TE", 3),
            Field("IDLEIE", 4), Field("RXNEIE", 5), Field("TCIE", 6), Field("TXEIE", 7),
            Field("PEIE", 8), Field("PS", 9), Field("PCE", 10), Field("WAKE", 11),
            Field("M0", 12, doc="with M1: 00 = 8 data bits"), Field("MME", 13),
            Field("CMIE", 14), Field("OVER8", 15, doc="0: oversampling by 16"),
            Field("RTOIE", 26), Field("EOBIE", 27), Field("M1", 28),
        ), doc="control 1"),
        Register("CR2", 0x04, (Field("STOP", 12, 2, doc="0: one stop bit"),
                               Field("SWAP", 15), Field("RXINV", 16), Field("TXINV", 17)),
                 doc="control 2"),
        Register("CR3", 0x08, (
            Field("EIE", 0), Field("DMAR", 6), Field("DMAT", 7), Field("RTSE", 8),
            Field("CTSE", 9), Field("ONEBIT", 11), Field("OVRDIS", 12),
        ), doc="control 3"),
        Register("BRR", 0x0C, (Field("BRR", 0, 16),),
                 doc="baud rate: with OVER8=0, f_ck / baud rounded"),
        Register("GTPR", 0x10, (Field("PSC", 0, 8), Field("GT", 8, 8)),
                 doc="guard time and prescaler"),
        Register("RTOR", 0x14, (Field("RTO", 0, 24), Field("BLEN", 24, 8)),
                 doc="receiver timeout"),
        Register("RQR", 0x18, (
            Field("ABRRQ", 0, access="wo"), Field("SBKRQ", 1, access="wo"),
            Field("MMRQ", 2, access="wo"), Field("RXFRQ", 3, access="wo"),
            Field("TXFRQ", 4, access="wo"),
        ), access="wo", doc="requests"),
        Register("ISR", 0x1C, (
            Field("PE", 0, access="ro"), Field("FE", 1, access="ro"),
            Field("NF", 2, access="ro"), Field("ORE", 3, access="ro", doc="overrun"),
            Field("IDLE", 4, access="ro"), Field("RXNE", 5, access="ro", doc="a byte in RDR"),
            Field("TC", 6, access="ro"), Field("TXE", 7, access="ro", doc="TDR is empty"),
            Field("LBDF", 8, access="ro"), Field("CTSIF", 9, access="ro"),
            Field("CTS", 10, access="ro"), Field("RTOF", 11, access="ro"),
            Field("EOBF", 12, access="ro"), Field("ABRE", 14, access="ro"),
            Field("ABRF", 15, access="ro"), Field("BUSY", 16, access="ro"),
            Field("CMF", 17, access="ro"), Field("SBKF", 18, access="ro"),
            Field("RWU", 19, access="ro"), Field("TEACK", 21, access="ro"),
            Field("REACK", 22, access="ro"),
        ), access="ro", reset=0x000000C0, doc="interrupt and status"),
        Register("ICR", 0x20, (
            Field("PECF", 0, access="wo"), Field("FECF", 1, access="wo"),
            Field("NCF", 2, access="wo"), Field("ORECF", 3, access="wo"),
            Field("IDLECF", 4, access="wo"), Field("TCCF", 6, access="wo"),
            Field("LBDCF", 8, access="wo"), Field("CTSCF", 9, access="wo"),
            Field("RTOCF", 11, access="wo"), Field("EOBCF", 12, access="wo"),
            Field("CMCF", 17, access="wo"),
        ), access="wo", doc="interrupt flag clear: write 1 to clear the ISR flag"),
        Register("RDR", 0x24, (Field("RDR", 0, 9, access="ro"),), access="ro",
                 doc="received data"),
        Register("TDR", 0x28, (Field("TDR", 0, 9),), doc="data to send"),
    ),
)
