"""Bounded libFuzzer runs (ASan + UBSan) over the parsers and verifiers that
take bytes from the network: DER signatures (with the property that a decoded
signature re-encodes to exactly the same bytes: DER is canonical), ECDSA
verification with random signatures, ECDH with random peer points, and RSA
PKCS#1 v1.5 / PSS verification with random signature blocks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.crypto.pk_lib import CRYPTO, DEP_SOURCES, PK_SOURCES
from tests.hostc import HOST_BUILD, build_program

HARNESS = r"""
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ecdh_p256.h"
#include "ecdsa_der.h"
#include "ecdsa_p256.h"
#include "rsa_verify.h"
#include "rsa_modulus.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    uint8_t raw[64], back[80], pub[65], shared[32];
    if (n < 1) {
        return 0;
    }
    uint8_t sel = d[0];
    d++;
    n--;
    switch (sel % 5) {
    case 0:
        if (crypto_ecdsa_sig_from_der(raw, 32, d, n) == 0) {
            int len = crypto_ecdsa_sig_to_der(back, sizeof(back), raw, 32);
            if (len < 0 || (size_t)len != n || memcmp(back, d, n) != 0) {
                abort(); /* accepted a non-canonical encoding */
            }
        }
        break;
    case 1: /* a real key, a random signature and hash */
        if (n >= 32 + 64 && crypto_p256_public_key(pub, d) == 0) {
            if (crypto_ecdsa_p256_verify(d + 96, n - 96, pub, d + 32) == 0) {
                abort(); /* a random signature must not verify */
            }
        }
        break;
    case 2: /* ECDH with random peer bytes (0x04 prefix), or a real peer key */
        if (n >= 32 + 65) {
            uint8_t peer[65];
            memcpy(peer, d + 32, 65);
            peer[0] = 0x04;
            if ((sel & 0x80) && crypto_p256_public_key(peer, d + 32) != 0) {
                break;
            }
            int rc = crypto_p256_ecdh(shared, d, peer);
            if (rc != 0 && memcmp(shared, (const uint8_t[32]){0}, 32) != 0) {
                abort(); /* an error must leave no secret behind */
            }
        }
        break;
    case 3:
    case 4:
        if (n >= 32) {
            uint8_t sig[256];
            memset(sig, 0, sizeof(sig));
            memcpy(sig, d + 32, n - 32 < sizeof(sig) ? n - 32 : sizeof(sig));
            int rc = sel % 5 == 3
                ? crypto_rsa_verify_pkcs1(rsa_n, sizeof(rsa_n), rsa_e, 3, CRYPTO_RSA_SHA256,
                                          d, 32, sig, sizeof(sig))
                : crypto_rsa_verify_pss(rsa_n, sizeof(rsa_n), rsa_e, 3, CRYPTO_RSA_SHA256,
                                        d, 32, sig, sizeof(sig), CRYPTO_RSA_PSS_SALT_AUTO);
            if (rc == 0) {
                abort();
            }
        }
        break;
    }
    return 0;
}
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("clang") is None, reason="clang (libFuzzer) not installed")
def test_fuzz_parsers_and_verifiers_bounded(tmp_path: Path) -> None:
    src_dir = HOST_BUILD / "pk-fuzz-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    harness = src_dir / "pk_fuzz.c"
    if not harness.exists() or harness.read_text() != HARNESS:
        harness.write_text(HARNESS)
    modulus = src_dir / "rsa_modulus.h"
    if not modulus.exists():
        # Any 2048-bit modulus will do: random signatures never verify.
        n = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
        body = ", ".join(str(b) for b in n.to_bytes(256, "big"))
        modulus.write_text(
            f"static const uint8_t rsa_n[256] = {{{body}}};\n"
            "static const uint8_t rsa_e[3] = {1, 0, 1};\n"
        )
    exe = build_program("pk-fuzz", [*PK_SOURCES, *DEP_SOURCES, harness],
                        include=[CRYPTO, src_dir], sanitize="fuzz")
    corpus = tmp_path / "corpus"  # fresh each run: the time bound stays meaningful
    corpus.mkdir()
    seeds = {
        "der": bytes([0]) + bytes.fromhex("3006020101020101"),
        "der33": bytes([5]) + bytes.fromhex("3026022100" + "80" + "00" * 31 + "020101"),
        "verify": bytes([1]) + bytes(range(1, 33)) + bytes(64) + bytes(32),
        "ecdh": bytes([0x82]) + bytes(range(1, 33)) + bytes(range(2, 67)),
        "rsa": bytes([3]) + bytes(32) + b"\x00\x01" + b"\xff" * 200,
    }
    for name, data in seeds.items():
        (corpus / name).write_bytes(data)
    proc = subprocess.run(
        [str(exe), "-runs=200000", "-max_total_time=15", "-max_len=400", "-seed=1",
         str(corpus)],
        capture_output=True, text=True, timeout=180, cwd=src_dir,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Done" in proc.stderr
