"""Every board flashed by pyocd describes memories that pyocd's built-in target
agrees with: the image we link is the image the probe can write."""

from __future__ import annotations

import pytest
from pyocd.core.memory_map import MemoryType
from pyocd.target import TARGET

from sdk.loader import board_files
from sdk.model import PyocdFlash, Uf2Flash
from sdk.target import Target, load_board_file


def pyocd_boards() -> list[tuple[str, str]]:
    out = []
    for path in board_files().values():
        b = load_board_file(path)
        if isinstance(b.flash, PyocdFlash):
            out.append((b.name, b.flash.target))
        elif isinstance(b.flash, Uf2Flash) and b.flash.pyocd_target:
            out.append((b.name, b.flash.pyocd_target))
    return out


def covered(start: int, size: int, regions: list[tuple[int, int]]) -> bool:
    """Is [start, start+size) inside the union of the regions?"""
    pos, end = start, start + size
    for lo, hi in sorted(regions):
        if lo <= pos < hi:
            pos = hi
        if pos >= end:
            return True
    return pos >= end


def test_there_are_pyocd_boards() -> None:
    assert pyocd_boards(), "no board names a pyocd target"


@pytest.mark.parametrize(("board", "pyocd_target"), pyocd_boards())
def test_memories_agree_with_pyocd(board: str, pyocd_target: str) -> None:
    t = Target.load(board, "hello")
    assert pyocd_target in TARGET, f"pyocd has no built-in target {pyocd_target}"
    mm = TARGET[pyocd_target].MEMORY_MAP
    flash = [(r.start, r.start + r.length) for r in mm if r.type == MemoryType.FLASH]
    ram = [(r.start, r.start + r.length) for r in mm if r.type == MemoryType.RAM]
    ours_flash = [m for m in t.chip.memories if m.kind == "flash"]
    ours_ram = [m for m in t.chip.memories if m.kind == "ram"]
    assert ours_flash and ours_ram
    for m in ours_flash:
        assert covered(m.origin, m.size, flash), f"{m.name} {m.origin:#x}+{m.size:#x} not flash"
    for m in ours_ram:
        assert covered(m.origin, m.size, ram), f"{m.name} {m.origin:#x}+{m.size:#x} not RAM"
    # Where pyocd's flash starts where ours does, the sizes agree too (a 1 MiB part
    # described as 2 MiB would link images the probe cannot write).
    main = min(ours_flash, key=lambda m: m.origin)
    contiguous = sum(hi - lo for lo, hi in flash if lo >= main.origin)
    if main.size < contiguous:
        assert t.chip.name in ("rp2040",), f"{board}: flash smaller than pyocd's"
