"""STM32F7 embedded flash interface (RM0410 rev 4, section 3.7). The F4's
instruction and data caches are replaced by the ART accelerator (ARTEN)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="flash_f7",
    doc="STM32F7 flash interface: access control (wait states, ART), program/erase",
    registers=(
        Register("ACR", 0x00, (
            Field("LATENCY", 0, 4, doc="wait states; set before raising HCLK"),
            Field("PRFTEN", 8, doc="prefetch"), Field("ARTEN", 9, doc="ART accelerator"),
            Field("ARTRST", 11, doc="ART reset (only while ARTEN=0)"),
        ), doc="access control"),
        Register("KEYR", 0x04, access="wo", doc="unlock key for CR"),
        Register("OPTKEYR", 0x08, access="wo", doc="unlock key for OPTCR"),
        Register("SR", 0x0C, (Field("EOP", 0), Field("OPERR", 1), Field("WRPERR", 4),
                              Field("BSY", 16, access="ro")), doc="status"),
        Register("CR", 0x10, (Field("PG", 0), Field("SER", 1), Field("MER1", 2),
                              Field("SNB", 3, 5), Field("PSIZE", 8, 2), Field("STRT", 16),
                              Field("LOCK", 31)), reset=0x80000000, doc="control"),
        Register("OPTCR", 0x14, doc="option control"),
    ),
)
