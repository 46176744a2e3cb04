"""Constant-time check of the symmetric primitives under valgrind memcheck.

Keys, plaintexts, MAC keys and DRBG seeds are marked undefined
(VALGRIND_MAKE_MEM_UNDEFINED); memcheck then reports every conditional branch
and every memory address computed from them ("Conditional jump or move depends
on uninitialised value(s)", "Use of uninitialised value"). The harness runs
AES, GHASH, AES-GCM, ChaCha20-Poly1305, HMAC/HKDF, SHA-2 and the DRBG on such
secrets and must come out with zero errors, at -O1 and at -O3 (optimisers turn
masks into branches sometimes). Tag comparisons are public once computed; the
library marks that one result defined through CRYPTO_DECLASSIFY, which this
build maps to VALGRIND_MAKE_MEM_DEFINED.

The canary build adds one deliberately secret-dependent branch and one
secret-indexed load to the harness and must be reported, so a harness that
marks nothing (or a valgrind that checks nothing) cannot pass.

Limits: memcheck sees branches and addresses, not instruction timing: the
Cortex-M3's early-terminating UMULL (used by Poly1305) is outside its view.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crypto.sym_lib import sources
from tests.hostc import HOST_BUILD, build_program

HARNESS = r"""
#include <stdint.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "chacha20poly1305.h"
#include "drbg.h"
#include "gcm.h"
#include "hkdf.h"
#include "hmac.h"
#include "sha256.h"
#include "sha512.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static uint8_t key[32], nonce[12], aad[29], msg[301], ct[301 + 16], pt[301], tag[16];
static uint8_t out[64], okm[100];
static volatile uint8_t sink;

static void fill(void)
{
    for (unsigned i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i * 29 + 7);
    for (unsigned i = 0; i < sizeof nonce; i++) nonce[i] = (uint8_t)i;
    for (unsigned i = 0; i < sizeof aad; i++) aad[i] = (uint8_t)(i * 3);
    for (unsigned i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(i * 11 + 1);
}

static int check_gcm(size_t key_len)
{
    crypto_aes_gcm_ctx g;
    fill();
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    if (crypto_aes_gcm_init(&g, key, key_len) != 0) return 1;
    for (size_t len = 0; len <= sizeof msg; len += 37) {
        crypto_aes_gcm_seal(&g, ct, tag, 16, nonce, 12, aad, sizeof aad, msg, len);
        /* the ciphertext and tag go on the wire: public from here */
        PUBLIC(ct, len);
        PUBLIC(tag, sizeof tag);
        if (crypto_aes_gcm_open(&g, pt, nonce, 12, aad, sizeof aad, ct, len, tag, 16) != 0)
            return 2;
        tag[0] ^= 1;
        if (crypto_aes_gcm_open(&g, pt, nonce, 12, aad, sizeof aad, ct, len, tag, 16) == 0)
            return 3;
    }
    /* a non-96-bit IV goes through GHASH */
    crypto_aes_gcm_seal(&g, ct, tag, 16, aad, sizeof aad, NULL, 0, msg, 50);
    crypto_aes_gcm_wipe(&g);
    return 0;
}

static int check_chapoly(void)
{
    fill();
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    for (size_t len = 0; len <= sizeof msg; len += 37) {
        crypto_chacha20poly1305_seal(ct, tag, key, nonce, aad, sizeof aad, msg, len);
        PUBLIC(ct, len);
        PUBLIC(tag, sizeof tag);
        if (crypto_chacha20poly1305_open(pt, key, nonce, aad, sizeof aad, ct, len, tag) != 0)
            return 4;
        tag[15] ^= 0x80;
        if (crypto_chacha20poly1305_open(pt, key, nonce, aad, sizeof aad, ct, len, tag) == 0)
            return 5;
    }
    return 0;
}

static int check_hash_mac_kdf_drbg(void)
{
    fill();
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    crypto_sha256(msg, sizeof msg, out);
    crypto_sha384(msg, sizeof msg, out);
    crypto_sha512(msg, sizeof msg, out);
    for (size_t kl = 0; kl <= sizeof key; kl += 8) {
        crypto_hmac_sha256(key, kl, msg, sizeof msg, out);
        crypto_hmac_sha384(key, kl, msg, sizeof msg, out);
    }
    crypto_hmac_sha256(msg, 200, msg, 10, out); /* key longer than a block */
    crypto_hkdf_sha256_extract(NULL, 0, key, sizeof key, out);
    if (crypto_hkdf_sha256_expand(out, 32, aad, sizeof aad, okm, sizeof okm) != 0) return 6;
    crypto_hkdf_sha384_extract(aad, sizeof aad, key, sizeof key, out);
    if (crypto_hkdf_sha384_expand(out, 48, aad, sizeof aad, okm, sizeof okm) != 0) return 7;
    crypto_hmac_drbg d;
    if (crypto_hmac_drbg_instantiate(&d, msg, 32, msg + 32, 16, NULL, 0) != 0) return 8;
    if (crypto_hmac_drbg_generate(&d, okm, sizeof okm, key, 8) != 0) return 9;
    if (crypto_hmac_drbg_reseed(&d, msg + 100, 32, NULL, 0) != 0) return 10;
    if (crypto_hmac_drbg_generate(&d, okm, sizeof okm, NULL, 0) != 0) return 11;
    crypto_hmac_drbg_uninstantiate(&d);
    return 0;
}

int main(void)
{
    int rc = check_gcm(16);
    if (!rc) rc = check_gcm(24);
    if (!rc) rc = check_gcm(32);
    if (!rc) rc = check_chapoly();
    if (!rc) rc = check_hash_mac_kdf_drbg();
#ifdef SYM_CT_CANARY
    static const uint8_t table[256] = {1};
    fill();
    SECRET(key, sizeof key);
    if (key[0] & 1) sink = 1;     /* secret-dependent branch */
    sink = table[key[1]];         /* secret-indexed load */
#endif
    return rc;
}
"""

FLAGS = ["-DCRYPTO_DECLASSIFY(p,n)=VALGRIND_MAKE_MEM_DEFINED((p),(n))",
         "-include", "valgrind/memcheck.h"]


def _harness() -> Path:
    path = HOST_BUILD / "sym_ct" / "harness.c"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != HARNESS:
        path.write_text(HARNESS)
    return path


def _valgrind(binary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["valgrind", "--tool=memcheck", "--error-exitcode=99", "--track-origins=no",
         "--leak-check=no", str(binary)],
        capture_output=True, text=True, timeout=150,
    )


def _require_valgrind() -> None:
    if shutil.which("valgrind") is None or not Path("/usr/include/valgrind/memcheck.h").exists():
        pytest.fail("valgrind and its memcheck.h are needed (tools/apt-test.txt lists valgrind)")


@pytest.mark.parametrize("opt", ["-O1", "-O3"])
def test_no_secret_dependent_branch_or_index(opt: str) -> None:
    _require_valgrind()
    exe = build_program(f"sym_ct{opt}", [*sources(), _harness()], include=["netstack/crypto"],
                        cflags=[opt, *FLAGS])
    proc = _valgrind(exe)
    assert "ERROR SUMMARY: 0 errors" in proc.stderr, proc.stderr[-4000:]
    assert proc.returncode == 0, f"harness failed with {proc.returncode}:\n{proc.stderr[-2000:]}"


def test_canary_is_caught() -> None:
    _require_valgrind()
    exe = build_program("sym_ct_canary", [*sources(), _harness()], include=["netstack/crypto"],
                        cflags=["-DSYM_CT_CANARY", *FLAGS])
    proc = _valgrind(exe)
    assert proc.returncode == 99
    assert "Conditional jump or move depends on uninitialised value" in proc.stderr
    assert "Use of uninitialised value" in proc.stderr
    assert "ERROR SUMMARY: 2 errors" in proc.stderr, proc.stderr[-3000:]


def test_harness_clean_under_asan_and_ubsan() -> None:
    """The same harness (every primitive, many lengths, good and bad tags) run
    natively with AddressSanitizer and UBSan: no overflow, no undefined behaviour.
    The valgrind client requests are no-ops outside valgrind."""
    exe = build_program("sym_ct_asan", [*sources(), _harness()], include=["netstack/crypto"],
                        cflags=FLAGS, sanitize="asan")
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "runtime error" not in proc.stderr, proc.stderr[-3000:]
