"""Chip -> vector table (Cortex-M) or interrupt dispatch table (RISC-V, AArch64),
and the linker script from the chip's memories and the app's stack size."""

from __future__ import annotations

from sdk.errors import DescriptionError
from sdk.gen import render
from sdk.target import Target

CORTEX_M_ISAS = ("armv6-m", "armv7-m", "armv7e-m")


def core_family(isa: str) -> str:
    if isa in CORTEX_M_ISAS:
        return "cortex-m"
    if isa.startswith("rv32"):
        return "riscv32"
    if isa == "armv8-a":
        return "aarch64"
    if isa == "host":
        return "host"
    raise ValueError(isa)


def vectors_c(t: Target) -> str:
    handlers = ["Default_Handler"] * t.chip.core.irq_count
    for p in t.chip.peripherals:
        if p.irq is not None:
            handlers[p.irq] = f"{p.name}_IRQHandler"
    return render(
        "vectors.c.j2", family=core_family(t.chip.core.isa), handlers=handlers,
        named=sorted({h for h in handlers if h != "Default_Handler"}),
        source=f"hal/chips/{t.chip_file.name}",
    )


def linker_script(t: Target) -> str:
    mems = t.chip.memories
    code = next((m for m in mems if m.kind in ("flash", "code-ram")), None)
    ram = max((m for m in mems if m.kind == "ram"), key=lambda m: m.size, default=None)
    if ram is None:
        raise DescriptionError(t.chip_file, "memories", "a memory of kind 'ram'", "none")
    family = core_family(t.chip.core.isa)
    load_offset = t.chip.facts.get("load_offset", 0)
    return render(
        "link.ld.j2", t=t, code=code, ram=ram, family=family, load_offset=load_offset,
        entry={"cortex-m": "Reset_Handler"}.get(family, "_start"),
        # A chip may need more stack than an app asks for: AArch64 frames are
        # large (a variadic call saves eight 128-bit registers).
        stack=max(t.app.stack_bytes, t.chip.facts.get("min_stack_bytes", 0)),
        source=f"hal/chips/{t.chip_file.name}",
    )


def config_h(t: Target) -> str:
    return render("apogee_config.h.j2", t=t, sizes=sorted(t.app.sizes.items()),
                  source=f"examples/{t.app_dir.name}/app.py")
