"""The public-key sources (P-256, ECDSA, ECDH, bignum, RSA) build for the two
firmware targets with the warning policy, -Werror included, and the Cortex-M3
build computes the same results as the host (it has its own assembly)."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from tests.crypto import pk_lib as pk
from tests.crypto.pk_lib import CRYPTO, PK_SOURCES
from tests.crypto.pk_p256_table import P
from tests.hostc import ROOT, WARNINGS

PICOLIBC_ARM = Path("/usr/lib/picolibc/arm-none-eabi/include")
TARGETS = {
    "cortex-m3": ["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "--specs=picolibc.specs"],
    "rv32imac": ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32",
                 "--specs=picolibc.specs"],
    # clang's integrated assembler is stricter than GNU as about Thumb-2 syntax.
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
    for src in PK_SOURCES:
        obj = tmp_path / (Path(src).stem + ".o")
        cmd = [*cc, "-Os", "-ffunction-sections", "-fdata-sections",
               *[w for w in WARNINGS if w != "-Wno-unused-parameter"],
               f"-I{ROOT / 'hal/include'}", f"-I{ROOT / CRYPTO}", "-c", str(ROOT / src),
               "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
        assert obj.stat().st_size > 0


def _bench_module() -> object:
    path = ROOT / "tests" / "bench" / "bench_crypto_pk.py"
    spec = importlib.util.spec_from_file_location("bench_crypto_pk", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _field_chain() -> bytes:
    """Python twin of field_chain() in tests/bench/crypto_pk/pk_bench.c."""
    s = 0x9E3779B9
    x = sum(v << (32 * i) for i, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8]))
    mask = 0xFFFFFFFF
    for _ in range(1000):
        y = 0
        for j in range(8):
            s ^= (s << 13) & mask
            s ^= s >> 17
            s ^= (s << 5) & mask
            word = s & 0x7FFFFFFF if j == 7 else s
            y |= word << (32 * j)
        x = x * y % P
        x = x * x % P
        x = (x + y) % P
        x = (y - x) % P
    return x.to_bytes(32, "big")


def _from_limbs(limbs: list[int]) -> int:
    return sum(v << (32 * i) for i, v in enumerate(limbs))


# The `edge` table of pk_bench.c, limbs least significant first.
EDGES = [_from_limbs(x) for x in (
    [0] * 8, [1] + [0] * 7, [2] + [0] * 7,
    [0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0, 0, 1, 0xFFFFFFFF],
    [0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0, 0, 1, 0xFFFFFFFF],
    [0] * 7 + [0x80000000],
    [0xFFFFFFFF] * 7 + [0],
    [0x7FFFFFFF, 0x80000000, 0x7FFFFFFF, 0x80000000, 0, 0, 0x80000000, 0x7FFFFFFF],
    [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0, 0, 0, 0x7FFFFFFF],
)]
assert all(e < P for e in EDGES)


def _field_edges() -> bytes:
    """Python twin of field_edges() in pk_bench.c."""
    h = hashlib.sha256()
    for a in EDGES:
        for b in EDGES:
            for v in ((a + b) % P, (a - b) % P, a * b % P):
                h.update(v.to_bytes(32, "big"))
        h.update((a * a % P).to_bytes(32, "big"))
    return h.digest()


@pytest.mark.qemu
def test_cortex_m3_assembly_path_on_qemu() -> None:
    """The ARMv7-M field multiply only runs on the target: run the benchmark
    image once (without -icount) and check its results on the host."""
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None:
        pytest.skip("ARM toolchain or QEMU not installed")
    bench = _bench_module()
    bench.prepare()  # type: ignore[attr-defined]
    elf = bench.build("pk_selftest", [])  # type: ignore[attr-defined]
    text = bench.run_qemu(elf, icount=False)  # type: ignore[attr-defined]
    assert "FAIL" not in text and "FAULT" not in text, text
    out = bench.outputs(text)  # type: ignore[attr-defined]
    assert out["chain"] == _field_chain()
    assert out["edges"] == _field_edges()
    d = int.from_bytes(hashlib.sha256(b"apogee bench p256").digest(), "big") % (2**255)
    key = ec.derive_private_key(d, ec.SECP256R1())
    peer = ec.derive_private_key(d // 3 + 1, ec.SECP256R1())
    pub = key.public_key().public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)
    assert out["pub"] == pub
    assert out["shared"] == key.exchange(ec.ECDH(), peer.public_key())
    h = hashlib.sha256(b"bench message").digest()
    assert out["sig"] == pk.ecdsa_sign(h, d.to_bytes(32, "big"))[1]  # same RFC 6979 nonce
    sig = out["sig"]
    der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                     int.from_bytes(sig[32:], "big"))
    key.public_key().verify(der, h, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
