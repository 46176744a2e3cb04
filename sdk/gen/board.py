"""Chip and board -> chip.h (instances, IRQs), board_config.h (console, clocks,
LEDs) and board.c (the LED table and board_init)."""

from __future__ import annotations

from sdk.errors import DescriptionError
from sdk.gen import render
from sdk.target import Target


def used_peripherals(t: Target) -> list[str]:
    """The chip's peripherals this board brings up, in start-up order."""
    names: list[str] = list(t.chip.always)
    names.append(t.board.console.uart)
    if t.chip.timer:
        names.append(t.chip.timer)
    for led in t.board.leds:
        port = t.chip.pin_port(led.pin)
        assert port is not None  # validated
        names.append(port[0])
    for pf in t.board.pins:
        port = t.chip.pin_port(pf.pin)
        assert port is not None
        names.append(port[0])
    if t.board.console.tx:
        names += [t.chip.pin_port(p)[0] for p in (t.board.console.tx, t.board.console.rx)
                  if p and t.chip.pin_port(p)]
    if t.board.network and t.board.network.peripheral and any(
            c.needs_network for c in t.components):
        names.append(t.board.network.peripheral)
    if t.board.entropy and "entropy" in t.app.needs:
        names += list(t.board.entropy.peripherals)
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def chip_h(t: Target) -> str:
    blocks = sorted({p.block for p in t.chip.peripherals})
    return render("chip.h.j2", chip=t.chip, t=t, blocks=blocks,
                  block_names={b: t.blocks[b].name for b in blocks},
                  source=f"hal/chips/{t.chip_file.name}")


def _gates(t: Target) -> list[tuple[str, str, int]]:
    """(peripheral, register, bit) clock gates to open, checked against RCC's block."""
    rcc = t.chip.peripheral("RCC")
    regs = {r.name for r in t.blocks[rcc.block].registers} if rcc else set()
    out = []
    for name in used_peripherals(t):
        p = t.chip.peripheral(name)
        if p and p.gate:
            if p.gate.register not in regs:
                raise DescriptionError(t.chip_file, f"peripherals ({name}).gate.register",
                                       "a register of the RCC block", p.gate.register)
            out.append((name, p.gate.register, p.gate.bit))
    return out


def board_config_h(t: Target) -> str:
    uart = t.chip.peripheral(t.board.console.uart)
    return render(
        "board_config.h.j2", t=t, board=t.board, chip=t.chip, uart=uart,
        uart_clock=t.bus_clock_hz(uart) if uart else 0, clock=t.clock,
        has_exit=t.board.emulator is not None,
        source=f"boards/{t.board_file.name}",
    )


def board_c(t: Target) -> str:
    leds = []
    for led in t.board.leds:
        port, pin = t.chip.pin_port(led.pin)  # type: ignore[misc]
        leds.append((led, port, pin))
    pins = []
    for pin_name, af in [(t.board.console.tx, t.chip.facts.get("console_af", -1)),
                         (t.board.console.rx, t.chip.facts.get("console_af", -1))]:
        if pin_name:
            port, bit = t.chip.pin_port(pin_name)  # type: ignore[misc]
            pins.append((pin_name, port, bit, t.board.facts.get("console_af", af), "console"))
    for pf in t.board.pins:
        port, bit = t.chip.pin_port(pf.pin)  # type: ignore[misc]
        pins.append((pf.pin, port, bit, pf.af, pf.function))
    return render(
        "board.c.j2", t=t, leds=leds, pins=pins, gates=_gates(t),
        # STM32: the solved tree; other chips with a clock_tree other than "fixed"
        # bring up their own fixed tree in their driver's hal_clock_tree_init.
        has_clock_tree=t.clock is not None or t.chip.clock_tree != "fixed",
        has_timer=bool(t.chip.timer),
        source=f"boards/{t.board_file.name}",
    )
