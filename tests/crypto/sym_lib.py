"""Shared helpers for the symmetric crypto tests: build the C once, load it with cffi.

The library is compiled by tests.hostc (warning policy, cached under build/host/)
from every symmetric source, and the declarations below are the public headers'
functions and context types, kept in step with netstack/crypto/*.h by hand: a
mismatch shows as a wrong answer against the reference, never silently.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import cffi

from tests.hostc import ROOT, build_library

CRYPTO = ROOT / "netstack" / "crypto"

# One primitive per file; ct.c is the shared constant-time base.
SYM_SOURCES = [
    "ct",
    "sha256",
    "sha512",
    "hmac",
    "hkdf",
    "chacha20",
    "poly1305",
    "chacha20poly1305",
    "aes",
    "ghash",
    "gcm",
    "drbg",
]

CDEF = """
typedef struct { uint32_t h[8]; uint64_t len; uint8_t buf[64]; size_t fill; } crypto_sha256_ctx;
void crypto_sha256_init(crypto_sha256_ctx *c);
void crypto_sha256_update(crypto_sha256_ctx *c, const void *data, size_t len);
void crypto_sha256_final(crypto_sha256_ctx *c, uint8_t out[32]);
void crypto_sha256(const void *data, size_t len, uint8_t out[32]);

typedef struct { uint64_t h[8]; uint64_t len; uint8_t buf[128]; size_t fill; } crypto_sha512_ctx;
void crypto_sha512_init(crypto_sha512_ctx *c);
void crypto_sha512_update(crypto_sha512_ctx *c, const void *data, size_t len);
void crypto_sha512_final(crypto_sha512_ctx *c, uint8_t out[64]);
void crypto_sha512(const void *data, size_t len, uint8_t out[64]);
void crypto_sha384_init(crypto_sha512_ctx *c);
void crypto_sha384_update(crypto_sha512_ctx *c, const void *data, size_t len);
void crypto_sha384_final(crypto_sha512_ctx *c, uint8_t out[48]);
void crypto_sha384(const void *data, size_t len, uint8_t out[48]);

typedef struct { crypto_sha256_ctx inner, outer; } crypto_hmac_sha256_ctx;
void crypto_hmac_sha256_init(crypto_hmac_sha256_ctx *c, const void *key, size_t key_len);
void crypto_hmac_sha256_update(crypto_hmac_sha256_ctx *c, const void *data, size_t len);
void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c, uint8_t out[32]);
void crypto_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[32]);
typedef struct { crypto_sha512_ctx inner, outer; } crypto_hmac_sha384_ctx;
void crypto_hmac_sha384_init(crypto_hmac_sha384_ctx *c, const void *key, size_t key_len);
void crypto_hmac_sha384_update(crypto_hmac_sha384_ctx *c, const void *data, size_t len);
void crypto_hmac_sha384_final(crypto_hmac_sha384_ctx *c, uint8_t out[48]);
void crypto_hmac_sha384(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[48]);

void crypto_hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[32]);
int crypto_hkdf_sha256_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len);
void crypto_hkdf_sha384_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[48]);
int crypto_hkdf_sha384_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len);

void crypto_chacha20_block(uint8_t out[64], const uint8_t key[32], const uint8_t nonce[12],
                           uint32_t counter);
void crypto_chacha20(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32],
                     const uint8_t nonce[12], uint32_t counter);

typedef struct { uint32_t r[4]; uint32_t h[5]; uint32_t pad[4]; uint8_t buf[16]; size_t fill; }
    crypto_poly1305_ctx;
void crypto_poly1305_init(crypto_poly1305_ctx *c, const uint8_t key[32]);
void crypto_poly1305_update(crypto_poly1305_ctx *c, const void *data, size_t len);
void crypto_poly1305_final(crypto_poly1305_ctx *c, uint8_t tag[16]);
void crypto_poly1305(const void *msg, size_t len, const uint8_t key[32], uint8_t tag[16]);

void crypto_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[16], const uint8_t key[32],
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len);
int crypto_chacha20poly1305_open(uint8_t *pt, const uint8_t key[32], const uint8_t nonce[12],
                                 const void *aad, size_t aad_len, const uint8_t *ct,
                                 size_t len, const uint8_t tag[16]);
void crypto_chacha20poly1305_seal_appended(uint8_t *out, const uint8_t key[32],
                                           const uint8_t nonce[12], const void *aad,
                                           size_t aad_len, const uint8_t *pt, size_t len);
int crypto_chacha20poly1305_open_appended(uint8_t *out, const uint8_t key[32],
                                          const uint8_t nonce[12], const void *aad,
                                          size_t aad_len, const uint8_t *in, size_t in_len);

typedef struct { uint32_t rk[120]; uint32_t rounds; } crypto_aes_ctx;
int crypto_aes_init(crypto_aes_ctx *c, const uint8_t *key, size_t key_len);
void crypto_aes_encrypt2(const crypto_aes_ctx *c, uint8_t out[32], const uint8_t in[32]);
void crypto_aes_encrypt(const crypto_aes_ctx *c, uint8_t out[16], const uint8_t in[16]);
void crypto_aes_wipe(crypto_aes_ctx *c);

typedef struct { uint32_t h[9]; uint32_t hr[9]; } crypto_ghash_key;
typedef struct { uint32_t y[4]; uint8_t buf[16]; size_t fill; } crypto_ghash_ctx;
void crypto_ghash_key_init(crypto_ghash_key *k, const uint8_t h[16]);
void crypto_ghash_init(crypto_ghash_ctx *c);
void crypto_ghash_update(crypto_ghash_ctx *c, const crypto_ghash_key *k, const void *data,
                         size_t len);
void crypto_ghash_pad(crypto_ghash_ctx *c, const crypto_ghash_key *k);
void crypto_ghash_final(crypto_ghash_ctx *c, const crypto_ghash_key *k, uint8_t out[16]);

typedef struct { crypto_aes_ctx aes; crypto_ghash_key ghash; } crypto_aes_gcm_ctx;
int crypto_aes_gcm_init(crypto_aes_gcm_ctx *c, const uint8_t *key, size_t key_len);
void crypto_aes_gcm_wipe(crypto_aes_gcm_ctx *c);
int crypto_aes_gcm_seal(const crypto_aes_gcm_ctx *c, uint8_t *ct, uint8_t *tag,
                        size_t tag_len, const uint8_t *iv, size_t iv_len, const void *aad,
                        size_t aad_len, const uint8_t *pt, size_t len);
int crypto_aes_gcm_open(const crypto_aes_gcm_ctx *c, uint8_t *pt, const uint8_t *iv,
                        size_t iv_len, const void *aad, size_t aad_len, const uint8_t *ct,
                        size_t len, const uint8_t *tag, size_t tag_len);
void crypto_aes_gcm_seal_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len);
int crypto_aes_gcm_open_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                 const uint8_t nonce[12], const void *aad, size_t aad_len,
                                 const uint8_t *in, size_t in_len);

typedef struct { uint8_t k[32]; uint8_t v[32]; uint32_t reseed_counter; } crypto_hmac_drbg;
int crypto_hmac_drbg_instantiate(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                                 const void *nonce, size_t nonce_len, const void *pers,
                                 size_t pers_len);
int crypto_hmac_drbg_reseed(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                            const void *additional, size_t additional_len);
int crypto_hmac_drbg_generate(crypto_hmac_drbg *d, uint8_t *out, size_t out_len,
                              const void *additional, size_t additional_len);
void crypto_hmac_drbg_uninstantiate(crypto_hmac_drbg *d);
"""

APG_OK = 0
APG_EINVAL = -1
APG_EMSGSIZE = -4
APG_EAUTH = -6
APG_ESTATE = -15


def sources() -> list[str]:
    return [f"netstack/crypto/{name}.c" for name in SYM_SOURCES]


@functools.cache
def load() -> tuple[cffi.FFI, Any]:
    """Build (or reuse) the host library and return (ffi, lib)."""
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    path = build_library("crypto_sym", sources(), include=["netstack/crypto"])
    return ffi, ffi.dlopen(str(path))


def vectors_dir() -> Path:
    import cryptography_vectors

    return Path(os.path.dirname(cryptography_vectors.__file__))


def parse_rsp(path: Path) -> list[dict[str, str]]:
    """Parse a NIST CAVP .rsp / pyca .txt vector file into records.

    A record is a run of `Key = value` lines; a key seen again starts the next
    record (files are not consistent about blank lines inside records). `[Name = v]`
    section headers are copied into every following record as `[Name]`, and a bare
    `[Name]` header as `[section]`. Comments (#) are skipped.
    """
    records: list[dict[str, str]] = []
    section: dict[str, str] = {}
    cur: dict[str, str] = {}

    def flush() -> None:
        nonlocal cur
        if cur:
            records.append({**section, **cur})
            cur = {}

    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            flush()
            body = line[1:-1]
            if "=" in body:
                k, v = body.split("=", 1)
                section[f"[{k.strip()}]"] = v.strip()
            else:
                section = {"[section]": body.strip()}
            continue
        if "=" in line:
            k, v = line.split("=", 1)
            if k.strip() in cur:
                flush()
            cur[k.strip()] = v.strip()
        else:
            cur[line] = ""
    flush()
    return records


def value(text: str) -> bytes:
    """A vector field: hex, or a double-quoted ASCII string (BoringSSL's files)."""
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].encode()
    return bytes.fromhex(text)


def buf(ffi: cffi.FFI, data: bytes) -> Any:
    """A C buffer holding data (a 1-byte buffer for b'' so the pointer is valid)."""
    return ffi.from_buffer(data) if data else ffi.NULL
