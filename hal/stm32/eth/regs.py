"""STM32F4/F7 Ethernet MAC and DMA (RM0090 33.8, RM0410 42.8: the same Synopsys
MAC on both). The basic registers a driver starts from: MAC configuration, the
MII management interface for the PHY, the MAC address, and the DMA set-up."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="eth",
    doc="STM32 Ethernet MAC + DMA (basic registers)",
    registers=(
        Register("MACCR", 0x0000, (
            Field("RE", 2, doc="receiver enable"), Field("TE", 3, doc="transmitter enable"),
            Field("DC", 4), Field("APCS", 7), Field("RD", 9), Field("IPCO", 10),
            Field("DM", 11, doc="full duplex"), Field("LM", 12),
            Field("FES", 14, doc="100 Mbit/s"), Field("CSTF", 25),
        ), reset=0x00008000, doc="MAC configuration"),
        Register("MACFFR", 0x0004, (Field("PM", 0), Field("PAM", 4), Field("BFD", 5),
                                    Field("RA", 31)), doc="MAC frame filter"),
        Register("MACMIIAR", 0x0010, (
            Field("MB", 0, doc="MII busy"), Field("MW", 1, doc="1: write"),
            Field("CR", 2, 3, doc="MDC clock range"), Field("MR", 6, 5, doc="PHY register"),
            Field("PA", 11, 5, doc="PHY address"),
        ), doc="MII address"),
        Register("MACMIIDR", 0x0014, (Field("MD", 0, 16),), doc="MII data"),
        Register("MACFCR", 0x0018, doc="flow control"),
        Register("MACSR", 0x0038, access="ro", doc="MAC interrupt status"),
        Register("MACIMR", 0x003C, doc="MAC interrupt mask"),
        Register("MACA0HR", 0x0040, (Field("MACA0H", 0, 16), Field("MO", 31, access="ro")),
                 reset=0x8000FFFF, doc="MAC address 0, bytes 5..4"),
        Register("MACA0LR", 0x0044, reset=0xFFFFFFFF, doc="MAC address 0, bytes 3..0"),
        Register("MMCRIMR", 0x010C, doc="MMC receive interrupt mask"),
        Register("MMCTIMR", 0x0110, doc="MMC transmit interrupt mask"),
        Register("DMABMR", 0x1000, (
            Field("SR", 0, doc="software reset, self-clearing"), Field("DSL", 2, 5),
            Field("EDFE", 7, doc="enhanced (8-word) descriptors"), Field("PBL", 8, 6),
            Field("FB", 16), Field("USP", 23), Field("AAB", 25),
        ), reset=0x00020101, doc="DMA bus mode"),
        Register("DMATPDR", 0x1004, doc="DMA transmit poll demand"),
        Register("DMARPDR", 0x1008, doc="DMA receive poll demand"),
        Register("DMARDLAR", 0x100C, doc="DMA receive descriptor list address"),
        Register("DMATDLAR", 0x1010, doc="DMA transmit descriptor list address"),
        Register("DMASR", 0x1014, (
            Field("TS", 0, access="w1c"), Field("TBUS", 2, access="w1c"),
            Field("RS", 6, access="w1c"), Field("RBUS", 7, access="w1c"),
            Field("AIS", 15, access="w1c"), Field("NIS", 16, access="w1c"),
        ), doc="DMA status"),
        Register("DMAOMR", 0x1018, (
            Field("SR", 1, doc="start receive"), Field("OSF", 2), Field("ST", 13,
                                                                        doc="start transmit"),
            Field("FTF", 20), Field("TSF", 21), Field("RSF", 25),
        ), doc="DMA operation mode"),
        Register("DMAIER", 0x101C, (Field("TIE", 0), Field("RIE", 6), Field("NISE", 16)),
                 doc="DMA interrupt enable"),
        Register("DMACHTDR", 0x1048, access="ro", doc="current host transmit descriptor"),
        Register("DMACHRDR", 0x104C, access="ro", doc="current host receive descriptor"),
    ),
)
