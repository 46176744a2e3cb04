"""The RSA signing sources build for the firmware targets with the warning policy
(-Werror included), and on Cortex-M3 (with its umlal Montgomery row) they compute
what the host computes: the bench image runs once in QEMU mps2-an385 and its
signatures are checked with `cryptography`."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.hostc import ROOT, WARNINGS

CRYPTO = ROOT / "netstack" / "crypto"
SOURCES = ["bignum", "rsa_private", "rsa_sign"]
PICOLIBC_ARM = Path("/usr/lib/picolibc/arm-none-eabi/include")
TARGETS = {
    "cortex-m3": ["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "--specs=picolibc.specs"],
    "rv32imac": ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32",
                 "--specs=picolibc.specs"],
    "clang-cortex-m3": ["clang", "--target=thumbv7m-none-eabi", "-mcpu=cortex-m3",
                        "-ffreestanding", f"-I{PICOLIBC_ARM}"],
    "clang-host": ["clang"],
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_builds_for_target_with_werror(target: str, tmp_path: Path) -> None:
    cc = TARGETS[target]
    if shutil.which(cc[0]) is None:
        pytest.skip(f"{cc[0]} not installed")
    if target == "clang-cortex-m3" and not PICOLIBC_ARM.is_dir():
        pytest.skip("picolibc for arm-none-eabi not installed")
    for name in SOURCES:
        obj = tmp_path / f"{name}.o"
        cmd = [*cc, "-Os", "-ffunction-sections", "-fdata-sections",
               *[w for w in WARNINGS if w != "-Wno-unused-parameter"],
               f"-I{ROOT / 'hal/include'}", f"-I{CRYPTO}", "-c", str(CRYPTO / f"{name}.c"),
               "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
        assert obj.stat().st_size > 0


def _bench() -> ModuleType:
    path = ROOT / "tests" / "bench" / "bench_rsa_sign.py"
    spec = importlib.util.spec_from_file_location("bench_rsa_sign", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-arm") is None
                    or shutil.which("arm-none-eabi-gcc") is None,
                    reason="qemu-system-arm or arm-none-eabi-gcc not installed")
def test_cortex_m3_signatures_verify(tmp_path: Path) -> None:
    bench = _bench()
    bench.OUT = tmp_path
    counts = []
    for _ in range(2):
        keys = bench.make_keys()
        (tmp_path / "rs_data.h").write_text(bench.make_data(keys))
        res, outs, ctx_bytes = bench.parse(bench.run_qemu(bench.build("rs_all", [])))
        bench.check_outputs(keys, outs)  # exits on a wrong result
        assert ctx_bytes > 0
        counts.append(res)
    # Constant time shows in the instruction counts too: other keys, other
    # inputs of the same sizes, exactly the same number of instructions.
    for op in ("rsa2048_private", "rsa2048_pss_sign_sha256", "rsa3072_pss_sign_sha256",
               "rsa2048_private_init"):
        assert counts[0][op][0] == counts[1][op][0], op
