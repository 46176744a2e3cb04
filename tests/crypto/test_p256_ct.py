"""Constant-time check for the P-256 secret-key paths, run under valgrind.

The private scalar is marked undefined (VALGRIND_MAKE_MEM_UNDEFINED); memcheck
then reports every conditional jump, and every memory address, computed from it.
Public key derivation, ECDH and ECDSA signing (RFC 6979 nonce, HMAC-SHA256
included) must produce no report. The few values that are public by design (is
the key in range, the signature r and s) are declassified in the library with
CRYPTO_DECLASSIFY, compiled in only for this test. The outputs are checked
against `cryptography` so the run is known to have done the real work.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from tests.crypto.pk_lib import CRYPTO, DEP_SOURCES, PK_SOURCES
from tests.hostc import HOST_BUILD, build_program

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "ecdh_p256.h"
#include "ecdsa_p256.h"

static void hex(const char *tag, const uint8_t *p, size_t n)
{
    VALGRIND_MAKE_MEM_DEFINED(p, n); /* outputs are public */
    printf("%s=", tag);
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    uint8_t priv[32], peer_priv[32], peer[65], pub[65], shared[32], sig[64], hash[48];
    if (argc != 3) return 2;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(argv[1] + 2 * i, "%2x", &v); priv[i] = (uint8_t)v;
        sscanf(argv[2] + 2 * i, "%2x", &v); peer_priv[i] = (uint8_t)v;
    }
    for (int i = 0; i < 48; i++) hash[i] = (uint8_t)(i * 7 + 1);
    if (crypto_p256_public_key(peer, peer_priv) != 0) return 3;
    VALGRIND_MAKE_MEM_UNDEFINED(priv, sizeof(priv));
    int rc = 0;
    rc |= crypto_p256_public_key(pub, priv);
    rc |= crypto_p256_ecdh(shared, priv, peer);
    hex("pub", pub, 65);
    hex("shared", shared, 32);
    for (size_t hl = 32; hl <= 48; hl += 16) {
        rc |= crypto_ecdsa_p256_sign(sig, hash, hl, priv);
        hex(hl == 32 ? "sig32" : "sig48", sig, 64);
    }
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof(rc));
    return rc != 0;
}
"""

PRIV = 0x3F1A9C2B7D5E4F60718293A4B5C6D7E8F9011223344556677889900AABBCCDDE
PEER = 0x0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF


def _pub(k: ec.EllipticCurvePrivateKey) -> bytes:
    return k.public_key().public_bytes(serialization.Encoding.X962,
                                       serialization.PublicFormat.UncompressedPoint)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind not installed")
@pytest.mark.parametrize("opt", ["-O1", "-O2", "-Os"])
def test_secret_paths_have_no_secret_dependent_branches(opt: str) -> None:
    src_dir = HOST_BUILD / "pk-ct-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    harness = src_dir / "ct_main.c"
    if not harness.exists() or harness.read_text() != HARNESS:
        harness.write_text(HARNESS)
    exe = build_program(f"pk-ct{opt}", [*PK_SOURCES, *DEP_SOURCES, harness], include=[CRYPTO],
                        defines=["CRYPTO_CT_VALGRIND"], cflags=[opt])
    proc = subprocess.run(
        ["valgrind", "--error-exitcode=99", "--track-origins=yes", "-q", str(exe),
         f"{PRIV:064x}", f"{PEER:064x}"],
        capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Conditional jump" not in proc.stderr and "uninitialised" not in proc.stderr
    out = dict(line.split("=", 1) for line in proc.stdout.split())
    me = ec.derive_private_key(PRIV, ec.SECP256R1())
    peer = ec.derive_private_key(PEER, ec.SECP256R1())
    assert bytes.fromhex(out["pub"]) == _pub(me)
    assert bytes.fromhex(out["shared"]) == me.exchange(ec.ECDH(), peer.public_key())
    hash48 = bytes((i * 7 + 1) & 0xFF for i in range(48))
    for tag, h, algo in (("sig32", hash48[:32], hashes.SHA256()),
                         ("sig48", hash48, hashes.SHA384())):
        sig = bytes.fromhex(out[tag])
        der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                         int.from_bytes(sig[32:], "big"))
        me.public_key().verify(der, h, ec.ECDSA(utils.Prehashed(algo)))
