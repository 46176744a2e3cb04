"""SMSC LAN9118 Ethernet controller (LAN9118 datasheet, section 5). Only the
registers the identification and the future driver need are listed."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="lan9118",
    doc="SMSC LAN9118 10/100 Ethernet MAC+PHY, memory mapped",
    registers=(
        Register("RX_DATA_FIFO", 0x00, access="ro"),
        Register("TX_DATA_FIFO", 0x20, access="wo"),
        Register("RX_STATUS_FIFO", 0x40, access="ro"),
        Register("TX_STATUS_FIFO", 0x48, access="ro"),
        Register("ID_REV", 0x50, (Field("REV", 0, 16, "ro"), Field("ID", 16, 16, "ro")),
                 access="ro", reset=0x01180001),
        Register("IRQ_CFG", 0x54),
        Register("INT_STS", 0x58),
        Register("INT_EN", 0x5C),
        Register("BYTE_TEST", 0x64, access="ro", reset=0x87654321),
        Register("TX_CFG", 0x70),
        Register("HW_CFG", 0x74),
        Register("RX_FIFO_INF", 0x7C, access="ro"),
        Register("TX_FIFO_INF", 0x80, access="ro"),
        Register("PMT_CTRL", 0x84),
        Register("MAC_CSR_CMD", 0xA4),
        Register("MAC_CSR_DATA", 0xA8),
        Register("E2P_CMD", 0xB0),
    ),
)
