"""SMSC LAN9118 Ethernet controller (LAN9118 datasheet, section 5: system control
and status registers). The MAC's own registers (MAC_CR, ADDRH/L, MII_ACC/DATA)
are reached indirectly through MAC_CSR_CMD/DATA; their indices and bits are
listed in lan9118.c, since the generator describes memory-mapped blocks only."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="lan9118",
    doc="SMSC LAN9118 10/100 Ethernet MAC+PHY, memory mapped",
    registers=(
        Register("RX_DATA_FIFO", 0x00, access="ro", doc="received frame data, one word a read"),
        Register("TX_DATA_FIFO", 0x20, access="wo", doc="TX command A, B, then frame data"),
        Register("RX_STATUS_FIFO", 0x40, (
            Field("CRC_ERROR", 1, access="ro"),
            Field("COLLISION", 6, access="ro"),
            Field("TOO_LONG", 7, access="ro"),
            Field("RUNT", 11, access="ro"),
            Field("ES", 15, access="ro", doc="error summary: CRC, collision, too long, runt"),
            Field("PKT_LEN", 16, 14, "ro", doc="frame length in bytes, FCS included"),
            Field("FILTER_FAIL", 30, access="ro"),
        ), access="ro", doc="one status word per received frame, popped by the read"),
        Register("TX_STATUS_FIFO", 0x48, (
            Field("ES", 15, access="ro", doc="error summary of the transmission"),
            Field("TAG", 16, 16, "ro", doc="the packet tag of TX command B"),
        ), access="ro", doc="one status word per transmitted frame, popped by the read"),
        Register("ID_REV", 0x50, (Field("REV", 0, 16, "ro"), Field("ID", 16, 16, "ro")),
                 access="ro", reset=0x01180001),
        Register("IRQ_CFG", 0x54, (Field("IRQ_EN", 8),)),
        Register("INT_STS", 0x58, access="w1c"),
        Register("INT_EN", 0x5C),
        Register("BYTE_TEST", 0x64, access="ro", reset=0x87654321),
        Register("RX_CFG", 0x6C, (
            Field("RXDOFF", 8, 5, doc="bytes of padding before each frame's data"),
            Field("RX_DUMP", 15, doc="discard everything in the RX FIFOs"),
            Field("RX_EA", 30, 2, doc="end alignment: 0 = 4 bytes"),
        )),
        Register("TX_CFG", 0x70, (
            Field("TX_ON", 1, doc="the transmitter takes frames from the TX FIFO"),
            Field("TXSAO", 2, doc="TX status FIFO may overrun: never stall on it"),
            Field("TXD_DUMP", 14),
            Field("TXS_DUMP", 15),
        )),
        Register("HW_CFG", 0x74, (Field("SRST", 0, doc="soft reset; reads 1 until done"),)),
        Register("RX_FIFO_INF", 0x7C, (
            Field("RXDUSED", 0, 16, "ro", doc="bytes of data waiting"),
            Field("RXSUSED", 16, 8, "ro", doc="status words (frames) waiting"),
        ), access="ro"),
        Register("TX_FIFO_INF", 0x80, (
            Field("TDFREE", 0, 16, "ro", doc="bytes free in the TX data FIFO"),
            Field("TXSUSED", 16, 8, "ro", doc="TX status words waiting"),
        ), access="ro"),
        Register("PMT_CTRL", 0x84, (Field("READY", 0, access="ro", doc="the device is up"),)),
        Register("MAC_CSR_CMD", 0xA4, (
            Field("CSR_ADDR", 0, 8, doc="MAC register index"),
            Field("R_NW", 30, doc="1 read, 0 write"),
            Field("CSR_BUSY", 31, doc="set to start; reads 1 until done"),
        )),
        Register("MAC_CSR_DATA", 0xA8),
        Register("E2P_CMD", 0xB0),
    ),
)
