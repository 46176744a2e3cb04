"""Cross-field checks of loaded descriptions: what a type check cannot see.

Each check raises DescriptionError naming the file, the field, what was expected
and what was found; the first mistake stops the load, before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdk.errors import DescriptionError
from sdk.model import App, Board, Chip, RegisterBlock
from sdk.model.regs import ACCESS

C_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MEMORY_KINDS = ("flash", "ram", "code-ram")
EXIT_METHODS = ("semihosting", "sifive-test", "process", "none")
NETWORK_DRIVERS = ("stm32-eth", "lan9118", "virtio-net", "native-tap", "genet")
# Entropy driver -> the register block its peripherals must be ("" for the host).
ENTROPY_DRIVERS = {"getrandom": "", "virtio-rng": "virtio/mmio", "stm32-rng": "stm32/rng"}
APP_NEEDS = ("network", "entropy")


def check_block(block: RegisterBlock, file: Path) -> None:
    if not C_IDENT.match(block.name):
        raise DescriptionError(file, "name", "a C identifier", block.name)
    seen: dict[str, int] = {}
    for i, reg in enumerate(block.registers):
        where = f"registers[{i}] ({reg.name})"
        if not C_IDENT.match(reg.name):
            raise DescriptionError(file, f"registers[{i}].name", "a C identifier", reg.name)
        if reg.name in seen:
            raise DescriptionError(file, f"{where}.name", "a name used once", reg.name)
        seen[reg.name] = reg.offset
        if reg.width not in (8, 16, 32, 64):
            raise DescriptionError(file, f"{where}.width", "8, 16, 32 or 64", reg.width)
        if reg.offset < 0 or reg.offset % (reg.width // 8):
            raise DescriptionError(
                file, f"{where}.offset", f"a non-negative multiple of {reg.width // 8}",
                hex(reg.offset))
        if reg.access not in ACCESS:
            raise DescriptionError(file, f"{where}.access", " or ".join(ACCESS), reg.access)
        used = 0
        for j, fld in enumerate(reg.fields):
            fwhere = f"{where}.fields[{j}] ({fld.name})"
            if not C_IDENT.match(fld.name):
                raise DescriptionError(file, f"{fwhere}.name", "a C identifier", fld.name)
            if fld.width < 1 or fld.lsb < 0 or fld.msb >= reg.width:
                raise DescriptionError(
                    file, fwhere, f"bits within 0..{reg.width - 1}", f"{fld.lsb}..{fld.msb}")
            if used & fld.mask:
                raise DescriptionError(file, fwhere, "bits no other field uses",
                                       f"{fld.lsb}..{fld.msb}")
            if fld.access not in ACCESS:
                raise DescriptionError(file, f"{fwhere}.access", " or ".join(ACCESS), fld.access)
            used |= fld.mask
    offsets = sorted((o, n) for n, o in seen.items())
    for (o1, n1), (o2, n2) in zip(offsets, offsets[1:], strict=False):
        if o1 == o2:
            raise DescriptionError(file, f"registers ({n2}).offset",
                                   f"an offset not used by {n1}", hex(o2))


def check_chip(chip: Chip, file: Path) -> None:
    if not C_IDENT.match(chip.name.replace("-", "_")):
        raise DescriptionError(file, "name", "a name of letters, digits, - and _", chip.name)
    for i, m in enumerate(chip.memories):
        if m.kind not in MEMORY_KINDS:
            raise DescriptionError(file, f"memories[{i}].kind", " or ".join(MEMORY_KINDS), m.kind)
        if m.size <= 0:
            raise DescriptionError(file, f"memories[{i}].size", "a positive size", m.size)
    mems = sorted(chip.memories, key=lambda m: m.origin)
    for a, b in zip(mems, mems[1:], strict=False):
        if a.origin + a.size > b.origin:
            raise DescriptionError(
                file, f"memories ({b.name})",
                f"an origin at or above {a.name}'s end {a.origin + a.size:#x}",
                f"{b.origin:#x}")
    if not any(m.kind in ("ram", "code-ram") for m in chip.memories):
        raise DescriptionError(file, "memories", "at least one RAM", "none")
    names: set[str] = set()
    irqs: dict[int, str] = {}
    for i, p in enumerate(chip.peripherals):
        where = f"peripherals[{i}] ({p.name})"
        if p.name in names:
            raise DescriptionError(file, f"{where}.name", "a name used once", p.name)
        names.add(p.name)
        if p.irq is not None:
            if p.irq in irqs:
                raise DescriptionError(file, f"{where}.irq",
                                       f"an IRQ not claimed by {irqs[p.irq]}", p.irq)
            if chip.core.irq_count and not 0 <= p.irq < chip.core.irq_count:
                raise DescriptionError(file, f"{where}.irq",
                                       f"0..{chip.core.irq_count - 1}", p.irq)
            irqs[p.irq] = p.name
    for prefix, port in chip.ports.items():
        if port not in names:
            raise DescriptionError(file, f"ports[{prefix!r}]", "a peripheral of the chip", port)
    for fld, name in [("timer", chip.timer)] + [(f"always[{i}]", n)
                                               for i, n in enumerate(chip.always)]:
        if name and name not in names:
            raise DescriptionError(file, fld, "a peripheral of the chip", name)
    for pin in chip.pins:
        if chip.pin_port(pin) is None:
            raise DescriptionError(file, "pins", "a pin whose prefix names a port in ports",
                                   pin)
    if len(set(chip.pins)) != len(chip.pins):
        dup = next(p for p in chip.pins if chip.pins.count(p) > 1)
        raise DescriptionError(file, "pins", "each pin named once", dup)


def check_board(board: Board, chip: Chip, file: Path) -> None:
    periph = {p.name: p for p in chip.peripherals}
    if chip.core.isa == "host":
        if board.console.uart != "stdio":
            raise DescriptionError(file, "console.uart", "'stdio' on the host",
                                   board.console.uart)
    elif board.console.uart not in periph:
        uarts = ", ".join(n for n, p in periph.items() if "uart" in p.block or "usart" in p.block)
        raise DescriptionError(file, "console.uart", f"a UART of {chip.name} ({uarts})",
                               board.console.uart)
    if board.console.baud <= 0:
        raise DescriptionError(file, "console.baud", "a positive baud rate", board.console.baud)
    used: dict[str, str] = {}

    def claim(pin: str, field: str) -> None:
        if not pin:
            return
        if pin not in chip.pins:
            span = f"{chip.pins[0]}..{chip.pins[-1]}" if chip.pins else "none"
            raise DescriptionError(file, field, f"a pin of {chip.name} ({span})", pin)
        if pin in used:
            raise DescriptionError(file, field, f"a pin not already used by {used[pin]}", pin)
        used[pin] = field

    claim(board.console.tx, "console.tx")
    claim(board.console.rx, "console.rx")
    for i, led in enumerate(board.leds):
        claim(led.pin, f"leds[{i}].pin")
    for i, pf in enumerate(board.pins):
        claim(pf.pin, f"pins[{i}].pin")
        if not 0 <= pf.af <= 15:
            raise DescriptionError(file, f"pins[{i}].af", "0..15", pf.af)
    if board.network and board.network.driver not in NETWORK_DRIVERS:
        raise DescriptionError(file, "network.driver", " or ".join(NETWORK_DRIVERS),
                               board.network.driver)
    if board.network and board.network.peripheral and board.network.peripheral not in periph:
        raise DescriptionError(file, "network.peripheral", f"a peripheral of {chip.name}",
                               board.network.peripheral)
    if board.entropy:
        e = board.entropy
        if e.driver not in ENTROPY_DRIVERS:
            raise DescriptionError(file, "entropy.driver", " or ".join(ENTROPY_DRIVERS),
                                   e.driver)
        block = ENTROPY_DRIVERS[e.driver]
        if block and not e.peripherals:
            raise DescriptionError(file, "entropy.peripherals",
                                   f"the {chip.name} instance(s) of {block}", "none")
        if (chip.core.isa == "host") != (e.driver == "getrandom"):
            raise DescriptionError(file, "entropy.driver",
                                   "'getrandom' on the host and only there", e.driver)
        for i, name in enumerate(e.peripherals):
            if name not in periph or periph[name].block != block:
                raise DescriptionError(file, f"entropy.peripherals[{i}]",
                                       f"a {block} peripheral of {chip.name}", name)
    if board.emulator and board.emulator.exit not in EXIT_METHODS:
        raise DescriptionError(file, "emulator.exit", " or ".join(EXIT_METHODS),
                               board.emulator.exit)
    if chip.clock_tree.startswith("stm32") and board.clock_source is None:
        raise DescriptionError(file, "clock_source", "Hse(...) or Hsi() for an STM32", None)


def check_app(app: App, file: Path) -> None:
    for i, src in enumerate(app.sources):
        if not (file.parent / src).is_file():
            raise DescriptionError(file, f"sources[{i}]", "a file beside app.py", src)
    for name, value in app.sizes.items():
        if not C_IDENT.match(name) or name.upper() != name:
            raise DescriptionError(file, f"sizes key {name!r}", "an UPPER_CASE C name", name)
        if value < 0:
            raise DescriptionError(file, f"sizes[{name!r}]", "a size of 0 or more", value)
    for i, need in enumerate(app.needs):
        if need not in APP_NEEDS:
            raise DescriptionError(file, f"needs[{i}]", " or ".join(APP_NEEDS), need)
    if app.device_key and app.device_key != "dev-p256" and not app.device_chain:
        raise DescriptionError(file, "device_chain", "the PEM certificate chain of device_key",
                               app.device_chain)
    if (app.device_key or app.trust_anchors) and "tls" not in app.components:
        raise DescriptionError(file, "components",
                               "'tls' in an app with a device_key or trust_anchors",
                               app.components)
    if app.stack_bytes < 256:
        raise DescriptionError(file, "stack_bytes", "at least 256", app.stack_bytes)
