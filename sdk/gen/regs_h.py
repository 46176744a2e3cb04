"""Register block -> C header: a typed struct of registers, and predictable macros
per register (_OFFSET, _RESET) and per field (_LSB, _MSB, _BITS, _ACCESS)."""

from __future__ import annotations

from dataclasses import dataclass

from sdk.gen import render
from sdk.model import Register, RegisterBlock

CTYPES = {8: "uint8_t", 16: "uint16_t", 32: "uint32_t", 64: "uint64_t"}


@dataclass
class Member:
    ctype: str
    name: str
    offset: int
    reg: Register | None  # None for padding
    count: int = 1


def layout(block: RegisterBlock) -> list[Member]:
    """Struct members in address order, with byte padding between registers."""
    members: list[Member] = []
    pos = 0
    pad = 0
    for reg in sorted(block.registers, key=lambda r: r.offset):
        if reg.offset > pos:
            members.append(Member("uint8_t", f"_reserved{pad}", pos, None, reg.offset - pos))
            pad += 1
        members.append(Member(CTYPES[reg.width], reg.name, reg.offset, reg))
        pos = reg.offset + reg.width // 8
    return members


def generate(block: RegisterBlock, source: str) -> str:
    return render(
        "regs.h.j2", block=block, prefix=block.name.upper(), members=layout(block), source=source
    )
