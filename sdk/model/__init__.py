"""The description model: typed dataclasses that boards, chips, register blocks and
apps are written in. Descriptions import from here:

    from sdk.model import Board, Console, Led, Hse, ...
"""

from sdk.model.app import App
from sdk.model.board import (
    Board,
    Console,
    Emulated,
    EntropySource,
    Hse,
    Hsi,
    Led,
    NetworkInterface,
    PinFunction,
    PyocdFlash,
    PyocdQemuFlash,
    SdCardFlash,
    Uf2Flash,
)
from sdk.model.chip import Chip, ClockGate, Core, Memory, Peripheral
from sdk.model.regs import Field, Register, RegisterBlock

KiB = 1024
MiB = 1024 * 1024
MHz = 1_000_000

__all__ = [
    "App", "Board", "Chip", "ClockGate", "Console", "Core", "Emulated", "EntropySource",
    "Field", "Hse", "Hsi", "KiB", "Led", "MHz", "MiB", "Memory", "NetworkInterface",
    "Peripheral", "PinFunction", "PyocdFlash", "PyocdQemuFlash", "Register", "RegisterBlock",
    "SdCardFlash", "Uf2Flash",
]
