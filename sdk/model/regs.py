"""Register blocks: the registers and fields a driver uses.

A block is described once, beside its driver (hal/<family>/<block>/regs.py), from
the vendor's reference manual. The SDK turns it into a C header with a typed
struct of registers and, per register and field, predictable macros:
<BLOCK>_<REG>_OFFSET, _RESET; <BLOCK>_<REG>_<FIELD>_LSB, _MSB, _BITS (mask), _ACCESS.
"""

from __future__ import annotations

from dataclasses import dataclass

ACCESS = ("rw", "ro", "wo", "w1c")


@dataclass(frozen=True)
class Field:
    name: str
    lsb: int
    width: int = 1
    access: str = "rw"
    doc: str = ""

    @property
    def msb(self) -> int:
        return self.lsb + self.width - 1

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb


@dataclass(frozen=True)
class Register:
    name: str
    offset: int
    fields: tuple[Field, ...] = ()
    access: str = "rw"
    reset: int = 0
    width: int = 32
    doc: str = ""


@dataclass(frozen=True)
class RegisterBlock:
    name: str
    registers: tuple[Register, ...]
    doc: str = ""
