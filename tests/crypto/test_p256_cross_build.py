"""The public-key sources (P-256, ECDSA, ECDH, bignum, RSA) build for the two
firmware targets with the warning policy, -Werror included."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crypto.pk_lib import CRYPTO, PK_SOURCES
from tests.hostc import ROOT, WARNINGS

TARGETS = {
    "cortex-m3": ["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb"],
    "rv32imac": ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32"],
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_builds_for_target_with_werror(target: str, tmp_path: Path) -> None:
    cc = TARGETS[target]
    if shutil.which(cc[0]) is None:
        pytest.skip(f"{cc[0]} not installed")
    for src in PK_SOURCES:
        obj = tmp_path / (Path(src).stem + ".o")
        cmd = [*cc, "--specs=picolibc.specs", "-Os", "-ffunction-sections", "-fdata-sections",
               *[w for w in WARNINGS if w != "-Wno-unused-parameter"],
               f"-I{ROOT / 'hal/include'}", f"-I{ROOT / CRYPTO}", "-c", str(ROOT / src),
               "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
        assert obj.stat().st_size > 0
