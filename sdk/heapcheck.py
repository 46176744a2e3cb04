"""Fail a build whose image links the heap: malloc and friends are never linked.

For cross images the linker map says which archive member was pulled in and by
which object; for the native board (the host's libc always has malloc) each of
our objects' undefined symbols is checked instead.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sdk.errors import SdkError, rel

HEAP_SYMBOLS = ("malloc", "calloc", "realloc", "free", "sbrk", "_sbrk", "_malloc_r",
                "_calloc_r", "_realloc_r", "_free_r", "_sbrk_r", "aligned_alloc",
                "posix_memalign", "memalign")


def _pulled_in(map_text: str) -> dict[str, str]:
    """Heap symbol -> the object whose reference pulled it in, from the linker map."""
    section = map_text.split("Archive member included", 1)
    if len(section) < 2:
        return {}
    body = section[1].split("\n\n", 2)
    text = body[1] if len(body) > 1 else ""
    found: dict[str, str] = {}
    for m in re.finditer(r"^\s+(\S+)\s+\((\S+)\)\s*$", text, re.M):
        obj, symbol = m.group(1), m.group(2)
        if symbol in HEAP_SYMBOLS:
            found.setdefault(symbol, obj)
    return found


def check_cross(elf: Path, map_file: Path, nm: str) -> None:
    out = subprocess.run([nm, "--defined-only", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    defined = {line.split()[-1] for line in out.splitlines() if line.strip()}
    linked = [s for s in HEAP_SYMBOLS if s in defined]
    if not linked:
        return
    why = _pulled_in(map_file.read_text()) if map_file.is_file() else {}
    named = [s for s in HEAP_SYMBOLS if s in why] or linked
    account = ", ".join(f"{s} (pulled in by {rel(why[s])})" if s in why else s for s in named)
    raise SdkError(f"{rel(elf)} links {account}: Apogee images allocate nothing at run time")


def check_objects(objects: list[Path], nm: str) -> None:
    for obj in objects:
        out = subprocess.run([nm, "--undefined-only", str(obj)], capture_output=True,
                             text=True, check=True).stdout
        calls = {line.split()[-1] for line in out.splitlines() if line.strip()}
        named = [s for s in HEAP_SYMBOLS if s in calls]
        if named:
            raise SdkError(f"{rel(obj)} calls {', '.join(named)}: Apogee images allocate "
                           "nothing at run time")
