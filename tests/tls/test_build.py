"""netstack/tls compiles warning-free (-Wall -Wextra -Werror -Wshadow, C11) with
the host gcc, clang and arm-none-eabi-gcc for Cortex-M3 at -Os, with every
feature and with the minimal set of switches."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tls.tls_util import committed, crypto_dir

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "netstack/tls").glob("*.c"))
FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Os", "-c"]
COMPILERS = {
    "gcc": ["gcc"],
    "clang": ["clang"],
    "arm-none-eabi-gcc": ["arm-none-eabi-gcc", "--specs=picolibc.specs", "-mcpu=cortex-m3",
                          "-mthumb", "-ffunction-sections", "-fdata-sections"],
}
MINIMAL = ["-DAPOGEE_TLS_SUITES=1", "-DAPOGEE_TLS_GROUPS=1", "-DAPOGEE_TLS_ED25519=0",
           "-DAPOGEE_TLS_CLIENT_AUTH=0", "-DAPOGEE_TLS_TICKETS=0", "-DAPOGEE_TLS_RECORD_MAX=1024",
           "-DAPOGEE_TLS_RSA=0"]  # the default, stated


@pytest.mark.parametrize("features", [["-DAPOGEE_TLS_RSA=1"], MINIMAL], ids=["all", "minimal"])
@pytest.mark.parametrize("cc", list(COMPILERS))
def test_compiles(cc: str, features: list[str], tmp_path: Path) -> None:
    if shutil.which(COMPILERS[cc][0]) is None:
        pytest.skip(f"{cc} not installed")
    inc = [f"-I{ROOT / 'hal/include'}", f"-I{crypto_dir()}", f"-I{committed('netstack/tcp')}",
           f"-I{ROOT / 'netstack/tls'}"]
    for src in SOURCES:
        p = subprocess.run([*COMPILERS[cc], *FLAGS, *features, *inc, str(src), "-o",
                            str(tmp_path / (src.stem + ".o"))], capture_output=True, text=True)
        assert p.returncode == 0, f"{cc} {src.name}:\n{p.stderr}"
