"""RISC-V core-local interruptor (CLINT) as SiFive defines it (SiFive FE310-G002
manual, chapter 9; the same layout in QEMU's virt and sifive_e machines): the
software interrupt, the timer compare and the free-running 64-bit mtime counter."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="clint",
    doc="CLINT: msip, mtimecmp and mtime of hart 0",
    registers=(
        Register("MSIP", 0x0000, (Field("MSIP", 0),), doc="machine software interrupt, hart 0"),
        Register("MTIMECMP_LO", 0x4000, doc="timer compare, low word, hart 0"),
        Register("MTIMECMP_HI", 0x4004, doc="timer compare, high word, hart 0"),
        Register("MTIME_LO", 0xBFF8, access="ro", doc="timer count, low word"),
        Register("MTIME_HI", 0xBFFC, access="ro", doc="timer count, high word"),
    ),
)
