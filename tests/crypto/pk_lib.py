"""Build and load the public-key C code (P-256, ECDSA, RSA, bignum) for tests.

One shared library holds every source of this area plus the hashes it calls; the
wrappers turn bytes into the C calls and back, so tests read as the API does.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import cffi

from tests.hostc import ROOT, build_library

CRYPTO = "netstack/crypto"

PK_SOURCES = [
    f"{CRYPTO}/{name}.c"
    for name in (
        "p256_field",
        "p256_scalar",
        "p256",
        "p256_verify",
        "p256_table",
        "bignum",
        "ecdh_p256",
        "ecdsa_p256_sign",
        "ecdsa_p256_verify",
        "ecdsa_der",
        "rsa",
        "rsa_verify",
        "rsa_hash",
    )
]
DEP_SOURCES = [f"{CRYPTO}/{name}.c" for name in ("ct", "sha256", "sha512", "hmac")]

CDEF = """
int crypto_p256_public_key(uint8_t pub[65], const uint8_t priv[32]);
int crypto_p256_ecdh(uint8_t shared[32], const uint8_t priv[32], const uint8_t peer[65]);
int crypto_ecdsa_p256_sign(uint8_t sig[64], const uint8_t *hash, size_t hash_len,
                           const uint8_t priv[32]);
int crypto_ecdsa_p256_sign_with_nonce(uint8_t sig[64], const uint8_t *hash, size_t hash_len,
                                      const uint8_t priv[32], const uint8_t nonce[32]);
int crypto_ecdsa_p256_verify(const uint8_t *hash, size_t hash_len, const uint8_t pub[65],
                             const uint8_t sig[64]);
int crypto_ecdsa_sig_to_der(uint8_t *out, size_t out_cap, const uint8_t *raw, size_t scalar_len);
int crypto_ecdsa_sig_from_der(uint8_t *raw, size_t scalar_len, const uint8_t *der, size_t len);
void p256_fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b);
void p256_fe_sqr(uint32_t *r, const uint32_t *a);
void p256_fe_add(uint32_t *r, const uint32_t *a, const uint32_t *b);
void p256_fe_sub(uint32_t *r, const uint32_t *a, const uint32_t *b);
void p256_fe_inv(uint32_t *r, const uint32_t *a);
int p256_fe_from_bytes(uint32_t *r, const uint8_t in[32]);
void p256_sc_mul(uint32_t *r, const uint32_t *a, const uint32_t *b);
void p256_sc_inv(uint32_t *r, const uint32_t *a);
void p256_sc_inv_vartime(uint32_t *r, const uint32_t *a);
struct bn_mont { uint32_t m[128]; uint32_t r2[128]; uint32_t m0inv; size_t n; };
int bn_mont_init(struct bn_mont *ctx, const uint8_t *m, size_t len);
void bn_mont_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const struct bn_mont *ctx);
void bn_mont_pow_public(uint32_t *r, const uint32_t *a, const uint8_t *e, size_t elen,
                        const struct bn_mont *ctx);
int crypto_rsa_verify_pkcs1(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                            int hash, const uint8_t *digest, size_t digest_len,
                            const uint8_t *sig, size_t sig_len);
int crypto_rsa_verify_pss(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                          int hash, const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len, int salt_len);
"""

APG_OK = 0
APG_EINVAL = -1
APG_EMSGSIZE = -4
APG_EBADMSG = -5
APG_EAUTH = -6
APG_ENOTSUP = -7

VECTORS = Path(__import__("cryptography_vectors").__file__).parent


@functools.cache
def lib() -> Any:
    path = build_library("pk", [*PK_SOURCES, *DEP_SOURCES], include=[CRYPTO])
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    return ffi, ffi.dlopen(str(path))


def ffi() -> cffi.FFI:
    return lib()[0]


def c() -> Any:
    return lib()[1]


def p256_public_key(priv: bytes) -> tuple[int, bytes]:
    out = ffi().new("uint8_t[65]")
    rc = c().crypto_p256_public_key(out, priv)
    return rc, bytes(out)


def p256_ecdh(priv: bytes, peer: bytes) -> tuple[int, bytes]:
    assert len(peer) == 65 and len(priv) == 32
    out = ffi().new("uint8_t[32]")
    rc = c().crypto_p256_ecdh(out, priv, peer)
    return rc, bytes(out)


def ecdsa_sign(digest: bytes, priv: bytes) -> tuple[int, bytes]:
    out = ffi().new("uint8_t[64]")
    rc = c().crypto_ecdsa_p256_sign(out, digest, len(digest), priv)
    return rc, bytes(out)


def ecdsa_verify(digest: bytes, pub: bytes, sig: bytes) -> int:
    assert len(pub) == 65 and len(sig) == 64
    return c().crypto_ecdsa_p256_verify(digest, len(digest), pub, sig)


def sig_to_der(raw: bytes) -> bytes:
    out = ffi().new("uint8_t[200]")
    n = c().crypto_ecdsa_sig_to_der(out, 200, raw, len(raw) // 2)
    assert n > 0, n
    return bytes(out[0:n])


def sig_from_der(der: bytes, scalar_len: int = 32) -> tuple[int, bytes]:
    out = ffi().new(f"uint8_t[{2 * scalar_len}]")
    rc = c().crypto_ecdsa_sig_from_der(out, scalar_len, der, len(der))
    return rc, bytes(out)


RSA_HASH = {"sha256": 0, "sha384": 1, "sha512": 2}


def rsa_verify_pkcs1(n: int, e: int, hash_name: str, digest: bytes, sig: bytes) -> int:
    nb = n.to_bytes((n.bit_length() + 7) // 8, "big")
    eb = e.to_bytes((e.bit_length() + 7) // 8, "big")
    return c().crypto_rsa_verify_pkcs1(
        nb, len(nb), eb, len(eb), RSA_HASH[hash_name], digest, len(digest), sig, len(sig)
    )


def rsa_verify_pss(
    n: int, e: int, hash_name: str, digest: bytes, sig: bytes, salt_len: int
) -> int:
    nb = n.to_bytes((n.bit_length() + 7) // 8, "big")
    eb = e.to_bytes((e.bit_length() + 7) // 8, "big")
    return c().crypto_rsa_verify_pss(
        nb, len(nb), eb, len(eb), RSA_HASH[hash_name], digest, len(digest), sig, len(sig),
        salt_len,
    )


__all__ = ["ROOT", "VECTORS", "c", "ffi"]
