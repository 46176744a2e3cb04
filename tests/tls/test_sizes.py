"""netstack/tls/tls_sizes.py (the SDK's RAM formula) against the compiler's own
sizeof(tls_conn) for Cortex-M, over several configurations."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tls.tls_util import crypto_dir

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("tls_sizes", ROOT / "netstack/tls/tls_sizes.py")
assert spec and spec.loader
sizes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sizes)

CONFIGS = [
    {},
    {"APOGEE_TLS_RECORD_MAX": 512},
    {"APOGEE_TLS_RECORD_MAX": 4096, "APOGEE_TLS_TX_BUF": 1500, "APOGEE_TLS_HS_BUF": 333},
    {"APOGEE_TLS_PEER_KEY_MAX": 520, "APOGEE_TLS_SNI_MAX": 7, "APOGEE_TLS_ALPN_MAX": 3},
    {"APOGEE_TLS_RECORD_MAX": 64, "APOGEE_TLS_TX_BUF": 1024, "APOGEE_TLS_HS_BUF": 1},
]


def _sizeof(cfg: dict[str, int], tmp: Path) -> tuple[int, int]:
    src = tmp / "sz.c"
    src.write_text('#include <stddef.h>\n#include "tls.h"\n'
                   "const size_t v[2] = {sizeof(tls_conn), offsetof(tls_conn, peer_key)};\n")
    obj = tmp / "sz.o"
    subprocess.run(["arm-none-eabi-gcc", "--specs=picolibc.specs", "-mcpu=cortex-m3", "-mthumb",
                    "-Os", "-c", f"-I{ROOT / 'hal/include'}", f"-I{crypto_dir()}",
                    f"-I{ROOT / 'netstack/tls'}", *[f"-D{k}={v}" for k, v in cfg.items()],
                    str(src), "-o", str(obj)], check=True)
    dump = subprocess.run(["arm-none-eabi-objdump", "-s", "-j", ".rodata", str(obj)],
                          capture_output=True, text=True, check=True).stdout
    words = re.findall(r"^ 0000 ([0-9a-f]{8}) ([0-9a-f]{8})", dump, re.M)[0]
    vals = [int.from_bytes(bytes.fromhex(w), "little") for w in words]
    return vals[0], vals[1]


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="no Arm toolchain")
@pytest.mark.parametrize("cfg", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_formula_matches_sizeof(cfg: dict[str, int], tmp_path: Path) -> None:
    size, fixed = _sizeof(cfg, tmp_path)
    assert fixed == sizes.FIXED, f"tls.h changed: set FIXED = {fixed} in tls_sizes.py"
    assert sizes.conn_bytes(cfg) == size
    assert sizes.ram_bytes({**cfg, "APOGEE_TLS_CONNECTIONS": 3}) == 3 * size


def test_goals() -> None:
    assert sizes.conn_bytes() <= 20 * 1024
    assert sizes.conn_bytes({"APOGEE_TLS_RECORD_MAX": 2048}) <= 8 * 1024
    with pytest.raises(ValueError, match="64..16384"):
        sizes.rx_buf(20000)


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="no Arm toolchain")
@pytest.mark.parametrize("bits", [2048, 3072, 4096])
def test_rsa_key_ctx_formula(bits: int, tmp_path: Path) -> None:
    src = tmp_path / "rsz.c"
    src.write_text('#include <stddef.h>\n#include "rsa_private.h"\n'
                   "const size_t v[2] = {sizeof(struct crypto_rsa_private_ctx), 0};\n")
    obj = tmp_path / "rsz.o"
    subprocess.run(["arm-none-eabi-gcc", "--specs=picolibc.specs", "-mcpu=cortex-m3", "-mthumb",
                    "-Os", "-c", f"-I{ROOT / 'hal/include'}", f"-I{crypto_dir()}",
                    f"-DAPOGEE_BN_MAX_BITS={bits}", str(src), "-o", str(obj)], check=True)
    dump = subprocess.run(["arm-none-eabi-objdump", "-s", "-j", ".rodata", str(obj)],
                          capture_output=True, text=True, check=True).stdout
    word = re.findall(r"^ 0000 ([0-9a-f]{8})", dump, re.M)[0]
    assert sizes.rsa_key_ctx_bytes(bits) == int.from_bytes(bytes.fromhex(word), "little")
    one = sizes.ram_bytes({"APOGEE_TLS_RSA_KEYS": 1, "APOGEE_BN_MAX_BITS": bits})
    assert one == sizes.ram_bytes() + sizes.rsa_key_ctx_bytes(bits)
