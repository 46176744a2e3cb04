"""The symmetric primitives as built for the Cortex-M3 (with their ARMv7-M paths:
RBIT in GHASH, UMLAL in Poly1305, unaligned word access) give the same answers
as `cryptography` and hashlib. The host tests cannot reach those paths, so a
small known-answer image runs on QEMU mps2-an385 and prints its outputs.

The image reuses the benchmark's start-up code and linker script
(tests/bench/crypto_sym/); the harness is below."""

from __future__ import annotations

import hashlib
import hmac
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.poly1305 import Poly1305

from tests.crypto.sym_lib import sources
from tests.hostc import HOST_BUILD, ROOT

BENCH = ROOT / "tests" / "bench" / "crypto_sym"

HARNESS = r"""
#include <stdint.h>
#include <string.h>

#include "bench.h"
#include "chacha20poly1305.h"
#include "gcm.h"
#include "hkdf.h"
#include "hmac.h"
#include "poly1305.h"
#include "sha256.h"
#include "sha512.h"

static uint8_t key[32], nonce[12], aad[5], msg[1001], out[1001 + 16];
static char line[2 * (1001 + 16) + 64];

static void emit(const char *name, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *s = line;
    while (*name) *s++ = *name++;
    *s++ = ' ';
    for (size_t i = 0; i < n; i++) {
        *s++ = hex[p[i] >> 4];
        *s++ = hex[p[i] & 15];
    }
    *s++ = '\n';
    *s = 0;
    bench_puts(line);
}

int main(void)
{
    for (unsigned i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i * 13 + 5);
    for (unsigned i = 0; i < sizeof nonce; i++) nonce[i] = (uint8_t)(0xa0 + i);
    for (unsigned i = 0; i < sizeof aad; i++) aad[i] = (uint8_t)(0x17 + i);
    for (unsigned i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(i * 7 + 3);
    crypto_aes_gcm_ctx g;
    size_t lens[] = {0, 15, 64, 1000};
    for (unsigned k = 16; k <= 32; k += 16) {
        crypto_aes_gcm_init(&g, key, k);
        for (unsigned j = 0; j < 4; j++) {
            /* the message starts one byte in: unaligned words */
            size_t n = lens[j];
            crypto_aes_gcm_seal_appended(&g, out, nonce, aad, sizeof aad, msg + 1, n);
            emit(k == 16 ? "gcm128" : "gcm256", out, n + 16);
            if (crypto_aes_gcm_open_appended(&g, out, nonce, aad, sizeof aad, out, n + 16) < 0)
                return 1;
        }
    }
    for (unsigned j = 0; j < 4; j++) {
        size_t n = lens[j];
        crypto_chacha20poly1305_seal_appended(out, key, nonce, aad, sizeof aad, msg + 1, n);
        emit("chapoly", out, n + 16);
        if (crypto_chacha20poly1305_open_appended(out, key, nonce, aad, sizeof aad, out,
                                                  n + 16) < 0) return 2;
    }
    crypto_poly1305(msg, sizeof msg, key, out);
    emit("poly1305", out, 16);
    crypto_sha256(msg, sizeof msg, out);
    emit("sha256", out, 32);
    crypto_sha384(msg, sizeof msg, out);
    emit("sha384", out, 48);
    crypto_sha512(msg, sizeof msg, out);
    emit("sha512", out, 64);
    crypto_hmac_sha256(key, sizeof key, msg, 100, out);
    emit("hmac256", out, 32);
    crypto_hmac_sha384(key, sizeof key, msg, 100, out);
    emit("hmac384", out, 48);
    uint8_t prk[48];
    crypto_hkdf_sha384_extract(aad, sizeof aad, key, sizeof key, prk);
    crypto_hkdf_sha384_expand(prk, 48, msg, 10, out, 100);
    emit("hkdf384", out, 100);
    return 0;
}
"""

FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-mcpu=cortex-m3", "-mthumb",
         "-Os", "-ffunction-sections", "-fdata-sections", "--specs=picolibc.specs",
         "-nostartfiles", f"-T{BENCH / 'mps2_an385.ld'}", "-Wl,--gc-sections",
         f"-I{ROOT / 'netstack' / 'crypto'}", f"-I{ROOT / 'hal' / 'include'}", f"-I{BENCH}"]


def _run_image(tmp: Path) -> dict[str, list[bytes]]:
    for tool in ("arm-none-eabi-gcc", "qemu-system-arm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed")
    harness = HOST_BUILD / "sym_m3" / "kat.c"
    harness.parent.mkdir(parents=True, exist_ok=True)
    harness.write_text(HARNESS)
    elf = tmp / "kat.elf"
    srcs = [str(ROOT / s) for s in sources()] + [str(BENCH / "startup.c"), str(harness)]
    proc = subprocess.run(["arm-none-eabi-gcc", *FLAGS, *srcs, "-o", str(elf)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        ["timeout", "60", "qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor",
         "none", "-serial", "none", "-semihosting-config", "enable=on,target=native",
         "-kernel", str(elf)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"image exited {proc.returncode}\n{proc.stdout}{proc.stderr}"
    results: dict[str, list[bytes]] = {}
    for line in (proc.stdout + proc.stderr).splitlines():
        name, _, value = line.strip().partition(" ")
        if name:
            results.setdefault(name, []).append(bytes.fromhex(value))
    return results


@pytest.mark.qemu
def test_m3_build_matches_references(tmp_path: Path) -> None:
    got = _run_image(tmp_path)
    key = bytes((i * 13 + 5) & 0xFF for i in range(32))
    nonce = bytes(0xA0 + i for i in range(12))
    aad = bytes(0x17 + i for i in range(5))
    msg = bytes((i * 7 + 3) & 0xFF for i in range(1001))
    lens = [0, 15, 64, 1000]
    assert got["gcm128"] == [AESGCM(key[:16]).encrypt(nonce, msg[1:1 + n], aad) for n in lens]
    assert got["gcm256"] == [AESGCM(key).encrypt(nonce, msg[1:1 + n], aad) for n in lens]
    assert got["chapoly"] == [ChaCha20Poly1305(key).encrypt(nonce, msg[1:1 + n], aad)
                              for n in lens]
    assert got["poly1305"] == [Poly1305.generate_tag(key, msg)]
    assert got["sha256"] == [hashlib.sha256(msg).digest()]
    assert got["sha384"] == [hashlib.sha384(msg).digest()]
    assert got["sha512"] == [hashlib.sha512(msg).digest()]
    assert got["hmac256"] == [hmac.new(key, msg[:100], hashlib.sha256).digest()]
    assert got["hmac384"] == [hmac.new(key, msg[:100], hashlib.sha384).digest()]
    assert got["hkdf384"] == [HKDF(hashes.SHA384(), 100, aad, msg[:10]).derive(key)]
