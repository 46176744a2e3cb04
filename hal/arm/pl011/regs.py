"""ARM PrimeCell UART PL011 (PL011 Technical Reference Manual r1p5, 3.2): the UART
of the Raspberry Pi (BCM2837, BCM2711) and of the RP2040."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="pl011",
    doc="ARM PL011 UART",
    registers=(
        Register("DR", 0x000, (
            Field("DATA", 0, 8), Field("FE", 8, access="ro"), Field("PE", 9, access="ro"),
            Field("BE", 10, access="ro"), Field("OE", 11, access="ro"),
        ), doc="data; receive errors in bits 8..11"),
        Register("RSR_ECR", 0x004, doc="receive status / error clear"),
        Register("FR", 0x018, (
            Field("CTS", 0, access="ro"), Field("BUSY", 3, access="ro"),
            Field("RXFE", 4, access="ro", doc="receive FIFO empty"),
            Field("TXFF", 5, access="ro", doc="transmit FIFO full"),
            Field("RXFF", 6, access="ro"), Field("TXFE", 7, access="ro"),
        ), access="ro", reset=0x90, doc="flags"),
        Register("IBRD", 0x024, (Field("BAUDDIVINT", 0, 16),), doc="integer baud divisor"),
        Register("FBRD", 0x028, (Field("BAUDDIVFRAC", 0, 6),),
                 doc="fractional baud divisor, 64ths"),
        Register("LCR_H", 0x02C, (
            Field("BRK", 0), Field("PEN", 1), Field("EPS", 2), Field("STP2", 3),
            Field("FEN", 4, doc="FIFOs enabled"), Field("WLEN", 5, 2, doc="word length - 5"),
            Field("SPS", 7),
        ), doc="line control; a write latches IBRD and FBRD"),
        Register("CR", 0x030, (
            Field("UARTEN", 0), Field("LBE", 7), Field("TXE", 8), Field("RXE", 9),
            Field("RTS", 11), Field("RTSEN", 14), Field("CTSEN", 15),
        ), reset=0x300, doc="control"),
        Register("IFLS", 0x034, doc="interrupt FIFO levels"),
        Register("IMSC", 0x038, doc="interrupt mask"),
        Register("RIS", 0x03C, access="ro"),
        Register("MIS", 0x040, access="ro"),
        Register("ICR", 0x044, access="wo", doc="interrupt clear"),
        Register("DMACR", 0x048),
    ),
)
