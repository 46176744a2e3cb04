"""The RSA signing sources build for the firmware targets with the warning policy
(-Werror included), and on Cortex-M3 (with its umlal Montgomery row) they compute
what the host computes: the bench image runs in QEMU mps2-an385 and its
signatures are checked with `cryptography`. On RV32IMAC (portable C, qemu
riscv32 virt) a key that went through sdk/keys.py signs correctly too. The host
build also runs clean under ASan and UBSan."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from tests.crypto.test_rsa_sign import KeyParts, unequal_key
from tests.crypto.test_rsa_sign_ct import CRYPTO as CT_CRYPTO
from tests.crypto.test_rsa_sign_ct import SOURCES as CT_SOURCES
from tests.crypto.test_rsa_sign_ct import _harness as ct_harness
from tests.hostc import ROOT, WARNINGS, build_program

CRYPTO = ROOT / "netstack" / "crypto"
SOURCES = ["bignum", "rsa_private", "rsa_sign", "rsa_hash"]
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


@pytest.mark.parametrize("bits", [2048, 2049, 4096])
def test_asan_ubsan_clean(bits: int) -> None:
    """The buffer juggling inside the context (halves of scratch numbers for
    the two primes, the blinding bytes) stays in bounds: the valgrind harness
    built with ASan and UBSan, run natively, for equal and unequal primes."""
    exe = build_program("rsa-sign-asan", [*CT_SOURCES, ct_harness()], include=[CT_CRYPTO],
                        sanitize="asan")
    key = unequal_key() if bits == 2049 else rsa.generate_private_key(65537, bits)
    nums = key.private_numbers()
    parts = KeyParts.of(key).fields()
    n, d = nums.public_numbers.n, nums.d
    k = (n.bit_length() + 7) // 8
    x = pow(0xABCDEF, 77, n)
    digest = hashlib.sha256(b"asan").digest()
    args = [parts[f].hex() for f in ("n", "e", "p", "q", "dp", "dq", "qinv")]
    proc = subprocess.run([str(exe), *args, x.to_bytes(k, "big").hex(), digest.hex()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = dict(line.split("=", 1) for line in proc.stdout.split())
    rc, raw = out["raw"].split(":")
    assert rc == "0" and int(raw, 16) == pow(x, d, n)
    rc, sig = out["pss"].split(":")
    assert rc == "0"
    key.public_key().verify(bytes.fromhex(sig), digest,
                            padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                            utils.Prehashed(hashes.SHA256()))


RV32_MAIN = r"""
#include <stdint.h>
#include <stdio.h>
#include "rsa_sign.h"
#include "server_key.h"
#include "digest.h"

static uint32_t state = 0x2545F491u;
static int rng(void *arg, uint8_t *out, size_t len)
{
    (void)arg;
    for (size_t i = 0; i < len; i++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out[i] = (uint8_t)state;
    }
    return 0;
}

static struct crypto_rsa_private_ctx ctx;
static uint8_t sig[CRYPTO_RSA_MAX_BYTES];

int main(void)
{
    size_t len = 0;
    int rc = crypto_rsa_private_init(&ctx, &server_key, rng, NULL);
    if (rc == 0) {
        rc = crypto_rsa_pss_sign(&ctx, CRYPTO_RSA_SHA384, digest, sizeof(digest), sig,
                                 sizeof(sig), &len);
    }
    printf("rc=%d\nsig=", rc);
    for (size_t i = 0; i < len; i++) {
        printf("%02x", sig[i]);
    }
    printf("\n");
    fflush(stdout);
    /* virt's test device: 0x5555 = pass, (code << 16) | 0x3333 = fail. */
    *(volatile uint32_t *)0x100000u = rc ? 0x13333u : 0x5555u;
    for (;;) {
    }
}
"""


@pytest.mark.qemu
def test_rv32_signs_with_a_key_from_sdk_keys(tmp_path: Path) -> None:
    """The whole path on a 32-bit target without the Cortex-M3 assembly: a PEM
    key through sdk/keys.py into C, built for RV32IMAC with picolibc, run on
    qemu-system-riscv32 virt; cryptography verifies the PSS signature."""
    for tool in ("riscv64-unknown-elf-gcc", "qemu-system-riscv32"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    from cryptography.hazmat.primitives import serialization

    from sdk import keys

    key = rsa.generate_private_key(65537, 3072)
    pem = tmp_path / "server.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    _, key_c = keys.write_c(tmp_path, "server_key",
                            keys.rsa_key_c("server_key", keys.load_rsa_private_key(pem)))
    digest = hashlib.sha384(b"rv32").digest()
    (tmp_path / "digest.h").write_text(
        "static const uint8_t digest[48] = {" + ", ".join(map(str, digest)) + "};\n")
    (tmp_path / "main.c").write_text(RV32_MAIN)
    elf = tmp_path / "sign.elf"
    srcs = [tmp_path / "main.c", key_c, *(CRYPTO / f"{n}.c" for n in (
        "bignum", "rsa_private", "rsa_sign", "rsa_hash", "ct", "sha256", "sha512", "hmac",
        "drbg"))]
    cmd = ["riscv64-unknown-elf-gcc", "-march=rv32imac", "-mabi=ilp32", "-Os",
           *[w for w in WARNINGS if w != "-Wno-unused-parameter"], "-ffunction-sections",
           "-fdata-sections", "--specs=picolibc.specs", "--oslib=semihost", "-Wl,--gc-sections",
           "-Wl,--defsym=__flash=0x80000000", "-Wl,--defsym=__flash_size=0x200000",
           "-Wl,--defsym=__ram=0x80200000", "-Wl,--defsym=__ram_size=0x200000",
           "-Wl,--defsym=__stack_size=0x4000", f"-I{ROOT / 'hal' / 'include'}",
           f"-I{CRYPTO}", f"-I{tmp_path}", "-o", str(elf), *map(str, srcs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run(
        ["timeout", "120", "qemu-system-riscv32", "-M", "virt", "-bios", "none", "-nographic",
         "-monitor", "none", "-serial", "none", "-semihosting-config", "enable=on,target=native",
         "-kernel", str(elf)],
        capture_output=True, text=True,
    )
    text = run.stdout + run.stderr
    assert run.returncode == 0 and "rc=0" in text, text
    sig = bytes.fromhex(text.split("sig=", 1)[1].split()[0])
    key.public_key().verify(sig, digest, padding.PSS(padding.MGF1(hashes.SHA384()), 48),
                            utils.Prehashed(hashes.SHA384()))
