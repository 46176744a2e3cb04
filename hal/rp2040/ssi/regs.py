"""RP2040 XIP SSI: the Synopsys DW_apb_ssi that reads the external flash for
execute-in-place (RP2040 datasheet 4.10.13). The second-stage boot block
(hal/rp2040/boot2) sets it up; nothing touches it afterwards."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_ssi",
    doc="RP2040 XIP SSI (DW_apb_ssi)",
    registers=(
        Register("CTRLR0", 0x00, (
            Field("DFS", 0, 4), Field("FRF", 4, 2), Field("SCPH", 6), Field("SCPOL", 7),
            Field("TMOD", 8, 2, doc="0 TX and RX, 1 TX, 2 RX, 3 EEPROM read"),
            Field("SLV_OE", 10), Field("SRL", 11), Field("CFS", 12, 4),
            Field("DFS_32", 16, 5, doc="data frame size - 1, in bits"),
            Field("SPI_FRF", 21, 2, doc="0 standard, 1 dual, 2 quad SPI"),
            Field("SSTE", 24),
        ), doc="control 0"),
        Register("CTRLR1", 0x04, (Field("NDF", 0, 16, doc="data frames per read - 1"),)),
        Register("SSIENR", 0x08, (Field("SSI_EN", 0),), doc="enable; configure while 0"),
        Register("MWCR", 0x0C),
        Register("SER", 0x10, (Field("SER", 0),), doc="slave select"),
        Register("BAUDR", 0x14, (Field("SCKDV", 0, 16, doc="clk_sys / SCK, even"),)),
        Register("TXFTLR", 0x18), Register("RXFTLR", 0x1C),
        Register("TXFLR", 0x20, access="ro"), Register("RXFLR", 0x24, access="ro"),
        Register("SR", 0x28, (
            Field("BUSY", 0, access="ro"), Field("TFNF", 1, access="ro"),
            Field("TFE", 2, access="ro"), Field("RFNE", 3, access="ro"),
        ), access="ro"),
        Register("IMR", 0x2C),
        Register("DR0", 0x60),
        Register("RX_SAMPLE_DLY", 0xF0, (Field("RSD", 0, 8),)),
        Register("SPI_CTRLR0", 0xF4, (
            Field("TRANS_TYPE", 0, 2, doc="0: instruction and address in standard SPI"),
            Field("ADDR_L", 2, 4, doc="address length in 4-bit units"),
            Field("INST_L", 8, 2, doc="0 none, 1 4-bit, 2 8-bit, 3 16-bit instruction"),
            Field("WAIT_CYCLES", 11, 5), Field("SPI_DDR_EN", 16), Field("INST_DDR_EN", 17),
            Field("SPI_RXDS_EN", 18),
            Field("XIP_CMD", 24, 8, doc="the instruction sent for each XIP read"),
        ), reset=0x03000000),
        Register("TXD_DRIVE_EDGE", 0xF8),
    ),
)
