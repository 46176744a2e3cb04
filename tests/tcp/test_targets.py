"""The core builds warning-free for the firmware targets and stays within its flash
budget (the brief's ~12 KiB of Cortex-M4 text)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.bench.bench_tcp import text_size
from tests.hostc import ROOT

SOURCES = sorted((ROOT / "netstack/tcp").glob("*.c"))
POLICY = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Os",
          f"-I{ROOT / 'hal/include'}", f"-I{ROOT / 'netstack/tcp'}", "-c"]
TARGETS = {
    "cortex-m3": ["arm-none-eabi-gcc", "--specs=picolibc.specs", "-mcpu=cortex-m3", "-mthumb"],
    "cortex-m4": ["arm-none-eabi-gcc", "--specs=picolibc.specs", "-mcpu=cortex-m4", "-mthumb"],
    "rv32imac": ["riscv64-unknown-elf-gcc", "--specs=picolibc.specs", "-march=rv32imac",
                 "-mabi=ilp32"],
    "host-clang": ["clang"],
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_builds_clean(target: str, tmp_path: Path) -> None:
    cc = TARGETS[target]
    if shutil.which(cc[0]) is None:
        pytest.skip(f"{cc[0]} is not installed")
    for src in SOURCES:
        r = subprocess.run([*cc, *POLICY, "-o", str(tmp_path / (src.stem + ".o")), str(src)],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"{target} {src.name}:\n{r.stderr}"


def test_cortex_m4_text_budget() -> None:
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc is not installed")
    total, _ = text_size()
    assert total <= 12 * 1024, f"netstack/tcp text is {total} B on Cortex-M4 -Os"
