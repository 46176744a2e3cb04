"""STM32F4 embedded flash interface (RM0090 rev 19, section 3.9). LATENCY is four
bits on the F42x/F43x and three on the F40x (bit 3 reserved there)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="flash_f4",
    doc="STM32F4 flash interface: access control (wait states, caches), program/erase",
    registers=(
        Register("ACR", 0x00, (
            Field("LATENCY", 0, 4, doc="wait states; set before raising HCLK"),
            Field("PRFTEN", 8, doc="prefetch"), Field("ICEN", 9, doc="instruction cache"),
            Field("DCEN", 10, doc="data cache"), Field("ICRST", 11), Field("DCRST", 12),
        ), doc="access control"),
        Register("KEYR", 0x04, access="wo", doc="unlock key for CR"),
        Register("OPTKEYR", 0x08, access="wo", doc="unlock key for OPTCR"),
        Register("SR", 0x0C, (Field("EOP", 0), Field("OPERR", 1), Field("WRPERR", 4),
                              Field("BSY", 16, access="ro")), doc="status"),
        Register("CR", 0x10, (Field("PG", 0), Field("SER", 1), Field("MER", 2),
                              Field("SNB", 3, 5), Field("PSIZE", 8, 2), Field("STRT", 16),
                              Field("LOCK", 31)), reset=0x80000000, doc="control"),
        Register("OPTCR", 0x14, doc="option control"),
    ),
)
