"""The RSA private-key operation is constant time: run under valgrind memcheck
with the private key (p, q, dP, dQ, qInv) and the blinding values marked
undefined, any branch or memory index that depends on them is an error, and
the run must have none. Built with CRYPTO_CT_VALGRIND so the three documented
yes/no outcomes (key consistent, r invertible, fault check passed) are
declassified where the code branches on them. The results are checked against
Python so the run did real work (a raw operation and a PSS signature)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.crypto.test_rsa_sign import CRYPTO, KeyParts, py_emsa_pss, unequal_key
from tests.hostc import HOST_BUILD, build_program

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "rsa_sign.h"

static uint8_t n[512], e[8], p[256], q[256], dp[256], dq[256], qinv[256], x[512];
static size_t n_len, e_len, p_len, q_len, dp_len, dq_len, qinv_len, x_len;
static struct crypto_rsa_private_ctx ctx;
static uint8_t out[512];

static size_t hex(uint8_t *dst, const char *s)
{
    size_t len = strlen(s) / 2;
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        dst[i] = (uint8_t)v;
    }
    return len;
}

/* Deterministic bytes (a counter): the checks in Python know them. Blinding
 * values (k bytes) are secret and marked undefined; salts are public (they
 * can be read back from a PSS signature). */
static uint8_t counter;
static int rng(void *arg, uint8_t *buf, size_t len)
{
    (void)arg;
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(counter++ * 37u + 11u);
    }
    if (len == n_len) {
        VALGRIND_MAKE_MEM_UNDEFINED(buf, len);
    }
    return 0;
}

static void show(const char *tag, int rc, size_t len)
{
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof(out)); /* a signature is public */
    printf("%s=%d:", tag, rc);
    for (size_t i = 0; i < len; i++) printf("%02x", out[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 10) return 2;
    n_len = hex(n, argv[1]);
    e_len = hex(e, argv[2]);
    p_len = hex(p, argv[3]);
    q_len = hex(q, argv[4]);
    dp_len = hex(dp, argv[5]);
    dq_len = hex(dq, argv[6]);
    qinv_len = hex(qinv, argv[7]);
    x_len = hex(x, argv[8]);
    uint8_t digest[32];
    hex(digest, argv[9]);
    VALGRIND_MAKE_MEM_UNDEFINED(p, sizeof(p));
    VALGRIND_MAKE_MEM_UNDEFINED(q, sizeof(q));
    VALGRIND_MAKE_MEM_UNDEFINED(dp, sizeof(dp));
    VALGRIND_MAKE_MEM_UNDEFINED(dq, sizeof(dq));
    VALGRIND_MAKE_MEM_UNDEFINED(qinv, sizeof(qinv));
    const struct crypto_rsa_private_key key = {n, n_len, e, e_len, p, p_len, q, q_len,
                                               dp, dp_len, dq, dq_len, qinv, qinv_len};
    int rc = crypto_rsa_private_init(&ctx, &key, rng, NULL);
    printf("init=%d\n", rc);
    if (rc != 0) return 3;
    rc = crypto_rsa_private(&ctx, out, sizeof(out), x, x_len);
    show("raw", rc, n_len);
    size_t sig_len = 0;
    rc = crypto_rsa_pss_sign(&ctx, CRYPTO_RSA_SHA256, digest, 32, out, sizeof(out), &sig_len);
    show("pss", rc, sig_len);
    crypto_rsa_private_wipe(&ctx);
    return 0;
}
"""

SOURCES = [f"{CRYPTO}/{name}.c" for name in ("bignum", "rsa", "rsa_verify", "rsa_private",
                                              "rsa_sign", "rsa_hash", "ct", "sha256", "sha512",
                                              "hmac", "drbg")]


def _harness() -> str:
    src_dir = HOST_BUILD / "rsa-sign-ct-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    harness = src_dir / "rsa_sign_ct_main.c"
    if not harness.exists() or harness.read_text() != HARNESS:
        harness.write_text(HARNESS)
    return str(harness)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind not installed")
@pytest.mark.parametrize("bits", [2048, 2049])
def test_private_key_operation_is_constant_time_under_valgrind(bits: int) -> None:
    """2048 bits, and 2049 bits from primes of unequal length (1025 and 1024)."""
    exe = build_program("rsa-sign-ct", [*SOURCES, _harness()], include=[CRYPTO],
                        defines=["CRYPTO_CT_VALGRIND"], cflags=["-O2"])
    key = unequal_key() if bits == 2049 else rsa.generate_private_key(65537, 2048)
    nums = key.private_numbers()
    parts = KeyParts.of(key).fields()
    n, d = nums.public_numbers.n, nums.d
    k = (n.bit_length() + 7) // 8
    x = pow(0x1234567890ABCDEF, 33, n)
    digest = hashlib.sha256(b"constant time").digest()
    args = [parts[f].hex() for f in ("n", "e", "p", "q", "dp", "dq", "qinv")]
    proc = subprocess.run(
        ["valgrind", "--error-exitcode=99", "-q", str(exe), *args, x.to_bytes(k, "big").hex(),
         digest.hex()],
        capture_output=True, text=True, timeout=150,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = dict(line.split("=", 1) for line in proc.stdout.split())
    assert out["init"] == "0"
    rc, raw = out["raw"].split(":")
    assert rc == "0" and int(raw, 16) == pow(x, d, n)
    rc, sig = out["pss"].split(":")
    # The salt is the rng's counter bytes after the one blinding value (k bytes).
    salt = bytes((c * 37 + 11) & 0xFF for c in range(k, k + 32))
    em = py_emsa_pss(digest, salt, n.bit_length() - 1, "sha256")
    assert rc == "0" and int(sig, 16) == pow(int.from_bytes(em, "big"), d, n)
