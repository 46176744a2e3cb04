"""Shared helpers for the X25519 / Ed25519 tests: build the C once, load it with cffi.

The declarations below mirror netstack/crypto/{x25519,ed25519,fe25519,sc25519,
ge25519}.h by hand (cffi ABI mode cannot read headers); a mismatch shows up as a
wrong answer against the independent references, never silently.
"""

from __future__ import annotations

import functools
from typing import Any

import cffi

from tests.hostc import build_library

SOURCES = ["ct", "sha512", "fe25519", "fe25519_armv7m", "sc25519", "ge25519", "ge25519_base",
           "x25519", "ed25519"]

CDEF = """
int crypto_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);
void crypto_x25519_public_key(uint8_t out[32], const uint8_t scalar[32]);

void crypto_ed25519_keypair(uint8_t pk[32], uint8_t sk[64], const uint8_t seed[32]);
void crypto_ed25519_sign(uint8_t sig[64], const uint8_t sk[64], const void *msg, size_t len);
int crypto_ed25519_verify(const uint8_t sig[64], const uint8_t pk[32], const void *msg,
                          size_t len);

typedef int32_t fe25519[10];
void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_sq(fe25519 h, const fe25519 f);
void fe25519_mul_small(fe25519 h, const fe25519 f, uint32_t n);
void fe25519_invert(fe25519 h, const fe25519 f);
void fe25519_pow22523(fe25519 h, const fe25519 f);
void fe25519_carry(fe25519 h);
void fe25519_frombytes(fe25519 h, const uint8_t s[32]);
void fe25519_tobytes(uint8_t s[32], const fe25519 h);
uint32_t fe25519_iszero(const fe25519 f);

void sc25519_reduce64(uint8_t out[32], const uint8_t in[64]);
void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
                    const uint8_t c[32]);
uint32_t sc25519_is_canonical(const uint8_t s[32]);

typedef struct { fe25519 ypx, ymx, xy2d; } ge25519_niels;
typedef struct { fe25519 X, Y, Z, T; } ge25519_p3;
extern const fe25519 ge25519_d;
extern const fe25519 ge25519_d2;
extern const fe25519 ge25519_sqrtm1;
extern const ge25519_niels ge25519_comb[2][8];
extern const ge25519_niels ge25519_base_odd[16];
void ge25519_scalarmult_base(ge25519_p3 *h, const uint8_t a[32]);
void ge25519_p3_tobytes(uint8_t s[32], const ge25519_p3 *p);
int ge25519_frombytes_vartime(ge25519_p3 *h, const uint8_t s[32]);
"""

APG_OK = 0
APG_EAUTH = -6


def sources() -> list[str]:
    return [f"netstack/crypto/{name}.c" for name in SOURCES]


@functools.cache
def load() -> tuple[cffi.FFI, Any]:
    """Build (or reuse) the host library and return (ffi, lib)."""
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    path = build_library("crypto_25519", sources(), include=["netstack/crypto"])
    return ffi, ffi.dlopen(str(path))


def x25519(scalar: bytes, point: bytes) -> tuple[int, bytes]:
    ffi, lib = load()
    out = ffi.new("uint8_t[32]")
    rc = lib.crypto_x25519(out, scalar, point)
    return rc, bytes(out)


def x25519_public_key(scalar: bytes) -> bytes:
    ffi, lib = load()
    out = ffi.new("uint8_t[32]")
    lib.crypto_x25519_public_key(out, scalar)
    return bytes(out)


def ed25519_keypair(seed: bytes) -> tuple[bytes, bytes]:
    ffi, lib = load()
    pk = ffi.new("uint8_t[32]")
    sk = ffi.new("uint8_t[64]")
    lib.crypto_ed25519_keypair(pk, sk, seed)
    return bytes(pk), bytes(sk)


def ed25519_sign(sk: bytes, msg: bytes) -> bytes:
    ffi, lib = load()
    sig = ffi.new("uint8_t[64]")
    lib.crypto_ed25519_sign(sig, sk, ffi.from_buffer(msg) if msg else ffi.NULL, len(msg))
    return bytes(sig)


def ed25519_verify(sig: bytes, pk: bytes, msg: bytes) -> int:
    ffi, lib = load()
    return int(lib.crypto_ed25519_verify(sig, pk, ffi.from_buffer(msg) if msg else ffi.NULL,
                                         len(msg)))
