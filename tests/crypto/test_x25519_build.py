"""The Curve25519 sources build warning-free for the firmware targets.

Cortex-M3 (arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os), RV32IMAC
(riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os), both against
picolibc, and the host's clang, all with -Werror and the project warnings.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crypto.c25519_lib import SOURCES
from tests.hostc import HOST_BUILD, ROOT, WARNINGS

TARGETS = {
    "cortex-m3": ["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "--specs=picolibc.specs"],
    "rv32imac": ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32",
                 "--specs=picolibc.specs"],
    "clang-host": ["clang"],
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_builds_with_werror(target: str, tmp_path: Path) -> None:
    cc = TARGETS[target]
    if shutil.which(cc[0]) is None:
        pytest.skip(f"{cc[0]} not installed")
    out = HOST_BUILD / f"c25519-{target}"
    out.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        strict = [w for w in WARNINGS if w != "-Wno-unused-parameter"]
        cmd = [*cc, *strict, "-Os", "-ffunction-sections",
               "-fdata-sections", "-I", str(ROOT / "hal" / "include"),
               "-I", str(ROOT / "netstack" / "crypto"), "-c",
               str(ROOT / "netstack" / "crypto" / f"{name}.c"), "-o", str(out / f"{name}.o")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
        assert proc.stderr == "", proc.stderr
