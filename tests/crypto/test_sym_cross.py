"""The symmetric primitives build for the firmware targets with the warning
policy: Cortex-M3 (arm-none-eabi-gcc) and RV32IMAC (riscv64-unknown-elf-gcc),
-Os -ffunction-sections, -Wall -Wextra -Werror -Wshadow. Each object may only
call the few libc functions the conventions allow (and libgcc's arithmetic
helpers), never an allocator or stdio.
Code size per file is printed (pytest -s shows it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crypto.sym_lib import SYM_SOURCES
from tests.hostc import ROOT

WARN = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow"]
TARGETS = {
    "cortex-m3": ("arm-none-eabi-", ["-mcpu=cortex-m3", "-mthumb"]),
    "rv32imac": ("riscv64-unknown-elf-", ["-march=rv32imac", "-mabi=ilp32"]),
}
# Ceilings for the whole symmetric half: it grows only on purpose.
MAX_TEXT = {"cortex-m3": 14 * 1024, "rv32imac": 20 * 1024}
ALLOWED_UNDEFINED = {"memcpy", "memset", "memmove", "memcmp"}
MINE = [s for s in SYM_SOURCES if s != "ct"]


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_builds_and_reports_size(target: str, tmp_path: Path) -> None:
    prefix, arch = TARGETS[target]
    cc = prefix + "gcc"
    if shutil.which(cc) is None:
        pytest.fail(f"{cc} is not installed (tools/apt-build.txt)")
    rows = []
    total = 0
    for name in MINE:
        obj = tmp_path / f"{name}.o"
        cmd = [cc, *WARN, *arch, "-Os", "-ffunction-sections", "-fdata-sections",
               "--specs=picolibc.specs", f"-I{ROOT / 'netstack' / 'crypto'}",
               f"-I{ROOT / 'hal' / 'include'}", "-c", str(ROOT / "netstack" / "crypto" /
                                                          f"{name}.c"), "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
        # arm-none-eabi-size reads any ELF object, RISC-V ones included
        size = subprocess.run(["arm-none-eabi-size", str(obj)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[1].split()
        text, data, bss = (int(x) for x in size[:3])
        assert data == 0 and bss == 0, f"{name}.c has static state ({data} data, {bss} bss)"
        undefined = subprocess.run([prefix + "nm", "-u", str(obj)], capture_output=True,
                                   text=True, check=True).stdout.split()
        calls = {s for s in undefined if s != "U"}
        # crypto_* are ours and ct.c's; __* are libgcc's arithmetic helpers
        foreign = {s for s in calls if not s.startswith(("crypto_", "__"))} - ALLOWED_UNDEFINED
        assert not foreign, f"{name}.c calls {sorted(foreign)}"
        rows.append(f"  {name + '.c':<22}{text:>7}")
        total += text
    rows.append(f"  {'total':<22}{total:>7}")
    print(f"\n{target} -Os text bytes per file:\n" + "\n".join(rows))
    assert total <= MAX_TEXT[target]


def test_clang_host_build(tmp_path: Path) -> None:
    """The same policy with clang on the host (the fuzz and sanitizer builds use it)."""
    for name in MINE:
        cmd = ["clang", *WARN, "-O2", f"-I{ROOT / 'netstack' / 'crypto'}",
               f"-I{ROOT / 'hal' / 'include'}", "-c",
               str(ROOT / "netstack" / "crypto" / f"{name}.c"), "-o", str(tmp_path / "x.o")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
