"""What to build for a target: generated files, C sources, include paths.

Plain Python, no SCons: sdk/scons.py turns this into SCons nodes, and tests call
it directly.
"""

from __future__ import annotations

from pathlib import Path

from sdk import toolchain
from sdk.errors import ROOT
from sdk.gen import board as gen_board
from sdk.gen import regs_h, startup, write
from sdk.target import Target

HAL = ROOT / "hal"


def build_dir(t: Target) -> Path:
    return ROOT / "build" / t.board.name / t.app.name


def family(t: Target) -> str:
    return startup.core_family(t.chip.core.isa)


def generated(t: Target) -> dict[str, str]:
    """Every generated file of the target: path relative to gen/ -> text."""
    files: dict[str, str] = {"apogee_config.h": startup.config_h(t)}
    if family(t) == "host":
        files["board_config.h"] = gen_board.board_config_h(t)
        return files
    for block_path, block in t.blocks.items():
        files[f"regs/{block.name}.h"] = regs_h.generate(block, f"hal/{block_path}/regs.py")
    files["chip.h"] = gen_board.chip_h(t)
    files["board_config.h"] = gen_board.board_config_h(t)
    files["board.c"] = gen_board.board_c(t)
    files["vectors.c"] = startup.vectors_c(t)
    files["link.ld"] = startup.linker_script(t)
    if t.chip.facts.get("boot2_bytes"):
        # RP2040: the boot block, compiled from hal/rp2040/boot2/ and CRC-sealed.
        from sdk import rp2040_boot2

        files["rp2040_boot2.h"] = rp2040_boot2.header(tools(t).prefix)
    return files


def write_generated(t: Target) -> Path:
    """Write the generated files (only those that changed); return gen/."""
    gen = build_dir(t) / "gen"
    for rel_path, text in generated(t).items():
        write(gen / rel_path, text)
    return gen


def hal_sources(t: Target) -> list[Path]:
    fam = family(t)
    if fam == "host":
        return [HAL / "native" / "native_hal.c", HAL / "common" / "print.c"]
    srcs = sorted(HAL.glob("common/*.c"))
    exit_method = t.board.emulator.exit if t.board.emulator else "none"
    for f in sorted((HAL / "core" / fam).glob("*.[cS]")):
        if f.stem.startswith("exit_") and f.stem != f"exit_{exit_method.replace('-', '_')}":
            continue
        srcs.append(f)
    blocks: list[str] = []
    for name in gen_board.used_peripherals(t):
        p = t.chip.peripheral(name)
        if p and p.block not in blocks:
            blocks.append(p.block)
    for b in blocks:
        srcs += sorted((HAL / b).glob("*.c"))
    return srcs


def app_sources(t: Target) -> list[Path]:
    srcs = [t.app_dir / s for s in t.app.sources]
    for c in t.components:
        for pattern in c.sources:
            srcs += sorted(ROOT.glob(pattern))
    return srcs


def include_dirs(t: Target) -> list[Path]:
    dirs = [build_dir(t) / "gen", HAL / "include", t.app_dir]
    for c in t.components:
        dirs += [ROOT / i for i in c.include]
    return dirs


def tools(t: Target) -> toolchain.Toolchain:
    return toolchain.for_chip(t.chip)
