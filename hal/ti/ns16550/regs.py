"""NS16550A UART (TI PC16550D data sheet, table 4), byte-spaced registers (one
register per byte address, as on QEMU's virt machine). Three addresses have two
meanings each: with LCR.DLAB=1 offsets 0 and 1 are the divisor latch (DLL, DLM),
and offset 2 reads IIR but writes FCR."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="ns16550",
    doc="NS16550A UART, byte-spaced registers",
    registers=(
        Register("RBR_THR", 0x0, (Field("DATA", 0, 8),), width=8,
                 doc="read: receive buffer; write: transmit holding; DLL when DLAB=1"),
        Register("IER", 0x1, (
            Field("ERBFI", 0, doc="receive data available interrupt"),
            Field("ETBEI", 1, doc="transmit holding empty interrupt"),
        ), width=8, doc="interrupt enable; DLM when DLAB=1"),
        Register("IIR_FCR", 0x2, (
            Field("FIFOEN", 0, access="wo", doc="FCR: enable both FIFOs"),
            Field("RXCLR", 1, access="wo", doc="FCR: clear the receive FIFO"),
            Field("TXCLR", 2, access="wo", doc="FCR: clear the transmit FIFO"),
        ), width=8, reset=0x01, doc="read: interrupt identification; write: FIFO control"),
        Register("LCR", 0x3, (
            Field("WLS", 0, 2, doc="word length - 5"),
            Field("STB", 2, doc="2 stop bits"),
            Field("PEN", 3, doc="parity enable"),
            Field("DLAB", 7, doc="divisor latch access"),
        ), width=8, doc="line control"),
        Register("MCR", 0x4, (Field("DTR", 0), Field("RTS", 1), Field("OUT2", 3)),
                 width=8, doc="modem control"),
        Register("LSR", 0x5, (
            Field("DR", 0, access="ro", doc="a received byte is waiting"),
            Field("THRE", 5, access="ro", doc="transmit holding register empty"),
            Field("TEMT", 6, access="ro", doc="transmitter empty"),
        ), width=8, access="ro", reset=0x60, doc="line status"),
        Register("MSR", 0x6, width=8, access="ro", doc="modem status"),
        Register("SCR", 0x7, width=8, doc="scratch"),
    ),
)
