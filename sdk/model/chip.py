"""Chips: the core, the memories, the peripheral instances and the interrupts.

Addresses, IRQ numbers and clock-gate bits are facts from the vendor's reference
manual. A chip lives in hal/chips/<chip>.py as `CHIP = Chip(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Core:
    """The processor core. isa picks the toolchain and start-up code."""

    isa: str  # "armv6-m", "armv7-m", "armv7e-m", "rv32imac", "armv8-a", "host"
    cpu: str  # gcc's -mcpu (or "" where -march says it all)
    fpu: str = ""  # gcc's -mfpu, "" for none
    mpu: bool = False
    irq_count: int = 0  # external interrupts the vector table must hold


@dataclass(frozen=True)
class Memory:
    name: str
    origin: int
    size: int
    kind: str  # "flash" (code, read-only at run time), "ram", "code-ram" (code that is RAM)


@dataclass(frozen=True)
class ClockGate:
    """The enable bit for a peripheral's clock, e.g. RCC APB1ENR bit 18."""

    register: str
    bit: int


@dataclass(frozen=True)
class Peripheral:
    """One instance of a register block at an address."""

    name: str
    block: str  # register block path under hal/, e.g. "stm32/usart_f7"
    base: int
    irq: int | None = None
    gate: ClockGate | None = None
    bus: str = ""  # clock domain the peripheral runs from, e.g. "apb1"


@dataclass(frozen=True)
class Chip:
    name: str
    vendor: str
    core: Core
    memories: tuple[Memory, ...]
    peripherals: tuple[Peripheral, ...] = ()
    # The pins a board may use: for STM32 "PA0".."PK15", for others "GPIO0".. .
    pins: tuple[str, ...] = ()
    # Pin name prefix -> the GPIO peripheral that drives it: {"PB": "GPIOB"} makes
    # "PB7" bit 7 of GPIOB; {"GPIO": "GPIO0"} makes "GPIO13" bit 13 of GPIO0.
    ports: dict[str, str] = field(default_factory=dict)
    # The peripheral that keeps the monotonic clock (SysTick, CLINT, generic timer).
    timer: str = ""
    # Peripherals start-up always needs, whatever the board uses (e.g. RCC, FLASH).
    always: tuple[str, ...] = ()
    # Which clock solver handles this chip's clock tree ("stm32f4", "stm32f7",
    # "fixed"), and the fixed core clock for chips without a tree to solve.
    clock_tree: str = "fixed"
    fixed_clock_hz: int = 0
    # Extra facts a generator or driver needs (e.g. the SysTick reference clock).
    facts: dict[str, int] = field(default_factory=dict)

    def peripheral(self, name: str) -> Peripheral | None:
        return next((p for p in self.peripherals if p.name == name), None)

    def pin_port(self, pin: str) -> tuple[str, int] | None:
        """The GPIO peripheral and bit of a pin name, by the longest matching prefix."""
        for prefix in sorted(self.ports, key=len, reverse=True):
            rest = pin[len(prefix):]
            if pin.startswith(prefix) and rest.isdigit():
                return self.ports[prefix], int(rest)
        return None
