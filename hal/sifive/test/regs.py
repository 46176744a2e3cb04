"""SiFive test finisher ("sifive,test0"), as QEMU's virt machine has it at 0x100000:
one register whose write ends the emulation."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="sifive_test",
    doc="SiFive test device: write STATUS=0x5555 to pass, 0x3333 with CODE to fail",
    registers=(
        Register("FINISHER", 0x0, (
            Field("STATUS", 0, 16, access="wo", doc="0x5555 pass, 0x3333 fail, 0x7777 reset"),
            Field("CODE", 16, 16, access="wo", doc="exit status with STATUS=0x3333"),
        ), access="wo"),
    ),
)
