"""AES (bitsliced) and AES-GCM: NIST CAVP vectors (AESAVS ECB, GCM encrypt and
decrypt, every key/IV/tag length), and differential tests against `cryptography`."""

from __future__ import annotations

import subprocess

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.sym_lib import (
    APG_EAUTH,
    APG_EINVAL,
    APG_EMSGSIZE,
    APG_OK,
    buf,
    load,
    parse_rsp,
    vectors_dir,
)
from tests.hostc import HOST_BUILD, build_program


def aes_ctx(key: bytes):  # noqa: ANN201 - a cffi pointer
    ffi, lib = load()
    ctx = ffi.new("crypto_aes_ctx *")
    assert lib.crypto_aes_init(ctx, key, len(key)) == APG_OK
    return ctx


def aes_ecb(key: bytes, blocks: bytes) -> bytes:
    ffi, lib = load()
    ctx = aes_ctx(key)
    out = bytearray()
    data = blocks + bytes(-len(blocks) % 32)
    o = ffi.new("uint8_t[32]")
    for i in range(0, len(data), 32):
        lib.crypto_aes_encrypt2(ctx, o, data[i:i + 32])
        out += bytes(o)
    return bytes(out[: len(blocks)])


def gcm_ctx(key: bytes):  # noqa: ANN201 - a cffi pointer
    ffi, lib = load()
    ctx = ffi.new("crypto_aes_gcm_ctx *")
    assert lib.crypto_aes_gcm_init(ctx, key, len(key)) == APG_OK
    return ctx


def seal(key: bytes, iv: bytes, aad: bytes, pt: bytes, tag_len: int = 16,
         ctx: object = None) -> tuple[bytes, bytes]:
    ffi, lib = load()
    ctx = ctx or gcm_ctx(key)
    ct = ffi.new(f"uint8_t[{len(pt) + 1}]")
    tag = ffi.new("uint8_t[17]")
    rc = lib.crypto_aes_gcm_seal(ctx, ct, tag, tag_len, buf(ffi, iv), len(iv), buf(ffi, aad),
                                 len(aad), buf(ffi, pt), len(pt))
    assert rc == APG_OK
    assert ct[len(pt)] == 0 and all(tag[i] == 0 for i in range(tag_len, 17))
    return bytes(ct)[: len(pt)], bytes(tag)[:tag_len]


def open_(key: bytes, iv: bytes, aad: bytes, ct: bytes, tag: bytes,
          ctx: object = None) -> tuple[int, bytes]:
    ffi, lib = load()
    ctx = ctx or gcm_ctx(key)
    pt = ffi.new(f"uint8_t[{len(ct) + 1}]", b"\xee" * (len(ct) + 1))
    rc = lib.crypto_aes_gcm_open(ctx, pt, buf(ffi, iv), len(iv), buf(ffi, aad), len(aad),
                                 buf(ffi, ct), len(ct), tag, len(tag))
    assert pt[len(ct)] == 0xEE, "wrote past the end"
    return rc, bytes(pt)[: len(ct)]


def test_fips197_and_sbox_through_the_cipher() -> None:
    """FIPS 197 appendix C, then every S-box input: with a zero key the first
    SubBytes sees the plaintext bytes, and `cryptography` must agree on all."""
    key = bytes(range(32))
    pt = bytes.fromhex("00112233445566778899aabbccddeeff")
    assert aes_ecb(key[:16], pt).hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"
    assert aes_ecb(key[:24], pt).hex() == "dda97ca4864cdfe06eaf70a0ec0d7191"
    assert aes_ecb(key, pt).hex() == "8ea2b7ca516745bfeafc49904b496089"
    blocks = bytes(range(256))
    for k in (bytes(16), bytes(32)):
        want = Cipher(algorithms.AES(k), modes.ECB()).encryptor().update(blocks)
        assert aes_ecb(k, blocks) == want


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_aesavs_ecb(bits: int) -> None:
    checked = 0
    for kind in ("GFSbox", "KeySbox", "VarKey", "VarTxt", "MMT"):
        for r in parse_rsp(vectors_dir() / "ciphers" / "AES" / "ECB" / f"ECB{kind}{bits}.rsp"):
            if "CIPHERTEXT" not in r:
                continue
            key, pt = bytes.fromhex(r["KEY"]), bytes.fromhex(r["PLAINTEXT"])
            assert aes_ecb(key, pt).hex() == r["CIPHERTEXT"], (kind, r.get("COUNT"))
            checked += 1
    assert checked > 500


def test_single_block_and_wipe() -> None:
    ffi, lib = load()
    ctx = aes_ctx(bytes(range(16)))
    out = ffi.new("uint8_t[16]")
    lib.crypto_aes_encrypt(ctx, out, bytes(16))
    assert bytes(out) == aes_ecb(bytes(range(16)), bytes(16))
    lib.crypto_aes_wipe(ctx)
    assert bytes(ffi.buffer(ctx)) == bytes(ffi.sizeof("crypto_aes_ctx"))
    for bad in (0, 15, 17, 31, 33):
        assert lib.crypto_aes_init(ffi.new("crypto_aes_ctx *"), bytes(bad), bad) == APG_EINVAL


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_cavp_gcm_encrypt(bits: int) -> None:
    path = vectors_dir() / "ciphers" / "AES" / "GCM" / f"gcmEncryptExtIV{bits}.rsp"
    records = [r for r in parse_rsp(path) if "Tag" in r]
    assert len(records) > 7000
    ctx_cache: dict[bytes, object] = {}
    for r in records:
        key, iv, aad, pt = (bytes.fromhex(r[k]) for k in ("Key", "IV", "AAD", "PT"))
        if key not in ctx_cache:
            ctx_cache = {key: gcm_ctx(key)}
        tag = bytes.fromhex(r["Tag"])
        assert seal(key, iv, aad, pt, len(tag), ctx_cache[key]) == (bytes.fromhex(r["CT"]), tag)


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_cavp_gcm_decrypt(bits: int) -> None:
    path = vectors_dir() / "ciphers" / "AES" / "GCM" / f"gcmDecrypt{bits}.rsp"
    records = [r for r in parse_rsp(path) if "Tag" in r]
    assert len(records) > 7000
    fails = 0
    for r in records:
        key, iv, aad, ct = (bytes.fromhex(r[k]) for k in ("Key", "IV", "AAD", "CT"))
        rc, pt = open_(key, iv, aad, ct, bytes.fromhex(r["Tag"]))
        if "FAIL" in r:
            fails += 1
            assert rc == APG_EAUTH and pt == bytes(len(ct)), r["Count"]
        else:
            assert rc == APG_OK and pt.hex() == r["PT"], r["Count"]
    assert fails > 1000


keys = st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n))


@settings(max_examples=200, deadline=None)
@given(key=keys, iv=st.binary(min_size=12, max_size=12), aad=st.binary(max_size=80),
       pt=st.binary(max_size=600))
def test_matches_cryptography(key: bytes, iv: bytes, aad: bytes, pt: bytes) -> None:
    want = AESGCM(key).encrypt(iv, pt, aad)
    ct, tag = seal(key, iv, aad, pt)
    assert ct + tag == want
    assert open_(key, iv, aad, ct, tag) == (APG_OK, pt)


@settings(max_examples=60, deadline=None)
@given(key=keys, iv=st.binary(min_size=8, max_size=70), aad=st.binary(max_size=40),
       pt=st.binary(max_size=100))
def test_other_iv_lengths_match_cryptography(key: bytes, iv: bytes, aad: bytes,
                                             pt: bytes) -> None:
    enc = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    enc.authenticate_additional_data(aad)
    want_ct = enc.update(pt) + enc.finalize()
    assert seal(key, iv, aad, pt) == (want_ct, enc.tag)


@settings(max_examples=100, deadline=None)
@given(key=keys, iv=st.binary(min_size=12, max_size=12), aad=st.binary(max_size=40),
       pt=st.binary(max_size=200), where=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_rejects_any_flipped_bit(key: bytes, iv: bytes, aad: bytes, pt: bytes, where: int,
                                 bit: int) -> None:
    ct, tag = seal(key, iv, aad, pt)
    blob = bytearray(aad + ct + tag)
    blob[where % len(blob)] ^= 1 << bit
    aad2, ct2, tag2 = bytes(blob[: len(aad)]), bytes(blob[len(aad):-16]), bytes(blob[-16:])
    assert open_(key, iv, aad2, ct2, tag2) == (APG_EAUTH, bytes(len(pt)))


def test_parameter_checks_and_appended_in_place() -> None:
    ffi, lib = load()
    key, nonce, aad = bytes(range(16)), bytes(range(12)), b"hdr"
    ctx = gcm_ctx(key)
    ct, tag = ffi.new("uint8_t[4]"), ffi.new("uint8_t[17]")
    for iv_len, tag_len in ((0, 16), (12, 3), (12, 17)):
        rc = lib.crypto_aes_gcm_seal(ctx, ct, tag, tag_len, nonce, iv_len, aad, 3, b"abcd", 4)
        assert rc == APG_EINVAL
        rc = lib.crypto_aes_gcm_open(ctx, ct, nonce, iv_len, aad, 3, b"abcd", 4, bytes(16),
                                     tag_len)
        assert rc == APG_EINVAL
    pt = bytes(range(77))
    io = ffi.new("uint8_t[93]", pt)
    lib.crypto_aes_gcm_seal_appended(ctx, io, nonce, aad, len(aad), io, len(pt))
    assert bytes(io) == AESGCM(key).encrypt(nonce, pt, aad)
    assert lib.crypto_aes_gcm_open_appended(ctx, io, nonce, aad, len(aad), io, 93) == 77
    assert bytes(io)[:77] == pt
    lib.crypto_aes_gcm_seal_appended(ctx, io, nonce, aad, len(aad), io, len(pt))
    io[0] ^= 0x80
    assert lib.crypto_aes_gcm_open_appended(ctx, io, nonce, aad, len(aad), io, 93) == APG_EAUTH
    assert bytes(io)[:77] == bytes(77)
    assert lib.crypto_aes_gcm_open_appended(ctx, io, nonce, aad, len(aad), io, 15) == APG_EINVAL
    # a length the int result cannot carry is refused before any byte is read
    assert lib.crypto_aes_gcm_open_appended(ctx, io, nonce, aad, len(aad), io,
                                            2**31 + 16) == APG_EMSGSIZE
    lib.crypto_aes_gcm_wipe(ctx)
    assert bytes(ffi.buffer(ctx)) == bytes(ffi.sizeof("crypto_aes_gcm_ctx"))


def test_ghash_streaming_matches_one_shot() -> None:
    """GHASH fed in odd pieces equals GHASH fed whole (the GCM tests use whole inputs)."""
    ffi, lib = load()
    key = ffi.new("crypto_ghash_key *")
    lib.crypto_ghash_key_init(key, bytes(range(100, 116)))
    data = bytes((i * 37) & 0xFF for i in range(200))

    def run(pieces: list[bytes]) -> bytes:
        c = ffi.new("crypto_ghash_ctx *")
        lib.crypto_ghash_init(c)
        for p in pieces:
            lib.crypto_ghash_update(c, key, p, len(p))
        out = ffi.new("uint8_t[16]")
        lib.crypto_ghash_final(c, key, out)
        return bytes(out)

    whole = run([data[:192]])
    assert run([data[:5], data[5:21], data[21:100], data[100:192]]) == whole
    assert run([data[:192], b""]) == whole
    assert run([data[:199]]) == run([data[:199] + bytes(9)])  # final pads with zeros


AES128_ONLY = r"""
#include <stdio.h>
#include <string.h>
#include "aes.h"
#include "apogee/err.h"

int main(void)
{
    static const unsigned char want[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                           0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
    unsigned char key[32], pt[16], ct[16];
    for (int i = 0; i < 32; i++) key[i] = (unsigned char)i;
    for (int i = 0; i < 16; i++) pt[i] = (unsigned char)(i * 0x11);
    crypto_aes_ctx c;
    if (crypto_aes_init(&c, key, 24) != APG_ENOTSUP) return 1;
    if (crypto_aes_init(&c, key, 32) != APG_ENOTSUP) return 2;
    if (crypto_aes_init(&c, key, 16) != APG_OK) return 3;
    crypto_aes_encrypt(&c, ct, pt);
    if (memcmp(ct, want, 16) != 0) return 4;
    printf("%zu\n", sizeof c);
    return 0;
}
"""


def test_aes128_only_build() -> None:
    """APOGEE_CRYPTO_AES_MAX_KEY_BITS=128 shrinks the context and refuses longer keys."""
    src = HOST_BUILD / "sym_aes128" / "main.c"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(AES128_ONLY)
    exe = build_program("sym_aes128", ["netstack/crypto/aes.c", "netstack/crypto/ct.c", src],
                        include=["netstack/crypto"], defines=["APOGEE_CRYPTO_AES_MAX_KEY_BITS=128"])
    proc = subprocess.run([str(exe)], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "356"
