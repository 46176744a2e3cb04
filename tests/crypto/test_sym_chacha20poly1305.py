"""ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD: RFC 8439 vectors (from
cryptography_vectors), BoringSSL/OpenSSL AEAD vectors, and differential tests
against `cryptography`."""

from __future__ import annotations

import struct

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.poly1305 import Poly1305
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
    value,
    vectors_dir,
)


def chacha20(key: bytes, nonce: bytes, counter: int, data: bytes) -> bytes:
    ffi, lib = load()
    out = ffi.new(f"uint8_t[{len(data) + 1}]")
    lib.crypto_chacha20(out, buf(ffi, data), len(data), key, nonce, counter)
    return bytes(out)[: len(data)]


def poly1305(key: bytes, msg: bytes) -> bytes:
    ffi, lib = load()
    tag = ffi.new("uint8_t[16]")
    lib.crypto_poly1305(buf(ffi, msg), len(msg), key, tag)
    return bytes(tag)


def poly1305_streamed(key: bytes, chunks: list[bytes]) -> bytes:
    ffi, lib = load()
    ctx = ffi.new("crypto_poly1305_ctx *")
    lib.crypto_poly1305_init(ctx, key)
    for c in chunks:
        lib.crypto_poly1305_update(ctx, buf(ffi, c), len(c))
    tag = ffi.new("uint8_t[16]")
    lib.crypto_poly1305_final(ctx, tag)
    assert bytes(ffi.buffer(ctx)) == bytes(ffi.sizeof(ctx[0])), "final() must wipe"
    return bytes(tag)


def seal(key: bytes, nonce: bytes, aad: bytes, pt: bytes) -> tuple[bytes, bytes]:
    ffi, lib = load()
    ct = ffi.new(f"uint8_t[{len(pt) + 1}]")
    tag = ffi.new("uint8_t[16]")
    lib.crypto_chacha20poly1305_seal(ct, tag, key, nonce, buf(ffi, aad), len(aad),
                                     buf(ffi, pt), len(pt))
    return bytes(ct)[: len(pt)], bytes(tag)


def open_(key: bytes, nonce: bytes, aad: bytes, ct: bytes, tag: bytes) -> tuple[int, bytes]:
    ffi, lib = load()
    pt = ffi.new(f"uint8_t[{len(ct) + 1}]", b"\xee" * (len(ct) + 1))
    rc = lib.crypto_chacha20poly1305_open(pt, key, nonce, buf(ffi, aad), len(aad),
                                          buf(ffi, ct), len(ct), tag)
    assert pt[len(ct)] == 0xEE, "wrote past the end"
    return rc, bytes(pt)[: len(ct)]


def test_rfc8439_chacha20() -> None:
    records = [r for r in parse_rsp(vectors_dir() / "ciphers" / "ChaCha20" / "rfc7539.txt")
               if "CIPHERTEXT" in r]
    assert len(records) >= 3
    ffi, lib = load()
    for r in records:
        key, nonce = bytes.fromhex(r["KEY"]), bytes.fromhex(r["NONCE"])
        ctr, pt = int(r["INITIAL_BLOCK_COUNTER"]), bytes.fromhex(r["PLAINTEXT"])
        assert chacha20(key, nonce, ctr, pt).hex() == r["CIPHERTEXT"]
        block = ffi.new("uint8_t[64]")
        lib.crypto_chacha20_block(block, key, nonce, ctr)
        assert bytes(block) == chacha20(key, nonce, ctr, bytes(64))


def test_rfc8439_poly1305() -> None:
    records = [r for r in parse_rsp(vectors_dir() / "poly1305" / "rfc7539.txt") if "TAG" in r]
    assert len(records) >= 4
    for r in records:
        key, msg = bytes.fromhex(r["KEY"]), bytes.fromhex(r["MSG"])
        assert poly1305(key, msg).hex() == r["TAG"].lower()


@pytest.mark.parametrize("name", ["boringssl.txt", "openssl.txt"])
def test_aead_vectors(name: str) -> None:
    records = parse_rsp(vectors_dir() / "ciphers" / "ChaCha20Poly1305" / name)
    records = [r for r in records if "COUNT" in r]
    assert len(records) >= 5
    checked = 0
    for r in records:
        if "KEY" in r:  # BoringSSL's field names
            key, nonce, aad, pt = (value(r[k]) for k in ("KEY", "NONCE", "AD", "IN"))
            ct, tag, bad = value(r["CT"]), value(r["TAG"]), False
        else:  # OpenSSL's
            key, nonce, aad = (bytes.fromhex(r[k]) for k in ("Key", "IV", "AAD"))
            pt, ct = bytes.fromhex(r["Plaintext"]), bytes.fromhex(r["Ciphertext"])
            tag, bad = bytes.fromhex(r["Tag"]), r.get("Result") == "CIPHERFINAL_ERROR"
        if len(nonce) != 12 or len(tag) != 16:
            continue  # 64-bit-nonce and truncated-tag variants are not RFC 8439
        rc, got = open_(key, nonce, aad, ct, tag)
        if bad:
            assert rc == APG_EAUTH and got == bytes(len(ct))
        else:
            assert seal(key, nonce, aad, pt) == (ct, tag)
            assert rc == APG_OK and got == pt
        checked += 1
    assert checked >= 5


keys = st.binary(min_size=32, max_size=32)
nonces = st.binary(min_size=12, max_size=12)


@settings(max_examples=150, deadline=None)
@given(key=keys, nonce=nonces, counter=st.integers(0, 2**32 - 40),
       data=st.binary(max_size=600))
def test_chacha20_matches_cryptography(key: bytes, nonce: bytes, counter: int,
                                       data: bytes) -> None:
    full_nonce = struct.pack("<I", counter) + nonce
    want = Cipher(algorithms.ChaCha20(key, full_nonce), None).encryptor().update(data)
    assert chacha20(key, nonce, counter, data) == want


@settings(max_examples=150, deadline=None)
@given(key=keys, msg=st.binary(max_size=400), cuts=st.lists(st.integers(0, 400), max_size=5))
def test_poly1305_matches_cryptography(key: bytes, msg: bytes, cuts: list[int]) -> None:
    want = Poly1305.generate_tag(key, msg)
    assert poly1305(key, msg) == want
    bounds = sorted({0, len(msg), *[min(c, len(msg)) for c in cuts]})
    assert poly1305_streamed(key, [msg[a:b] for a, b in zip(bounds, bounds[1:],
                                                              strict=False)]) == want


@pytest.mark.parametrize("fill", [0x00, 0xFF])
def test_poly1305_extreme_accumulators(fill: int) -> None:
    """All-ones keys and messages push every carry path and the final reduction."""
    for r_byte in (0x00, 0xFF):
        key = bytes([r_byte]) * 16 + bytes([fill]) * 16
        for n in (0, 1, 15, 16, 17, 64, 257):
            msg = bytes([0xFF]) * n
            assert poly1305(key, msg) == Poly1305.generate_tag(key, msg), (r_byte, fill, n)


@settings(max_examples=150, deadline=None)
@given(key=keys, nonce=nonces, aad=st.binary(max_size=70), pt=st.binary(max_size=600))
def test_aead_matches_cryptography(key: bytes, nonce: bytes, aad: bytes, pt: bytes) -> None:
    want = ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    ct, tag = seal(key, nonce, aad, pt)
    assert ct + tag == want
    assert open_(key, nonce, aad, ct, tag) == (APG_OK, pt)


@settings(max_examples=100, deadline=None)
@given(key=keys, nonce=nonces, aad=st.binary(max_size=40), pt=st.binary(max_size=200),
       where=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_aead_rejects_any_flipped_bit(key: bytes, nonce: bytes, aad: bytes, pt: bytes,
                                      where: int, bit: int) -> None:
    """One flipped bit anywhere in aad, ciphertext or tag: refused, and no plaintext left."""
    ct, tag = seal(key, nonce, aad, pt)
    blob = bytearray(aad + ct + tag)
    blob[where % len(blob)] ^= 1 << bit
    aad2, ct2, tag2 = bytes(blob[: len(aad)]), bytes(blob[len(aad):-16]), bytes(blob[-16:])
    with pytest.raises(InvalidTag):
        ChaCha20Poly1305(key).decrypt(nonce, ct2 + tag2, aad2)
    rc, got = open_(key, nonce, aad2, ct2, tag2)
    assert rc == APG_EAUTH
    assert got == bytes(len(pt))


def test_appended_forms_in_place() -> None:
    ffi, lib = load()
    key, nonce, aad = bytes(range(32)), bytes(range(12)), b"header"
    pt = bytes(range(100))
    io = ffi.new("uint8_t[116]", pt)
    lib.crypto_chacha20poly1305_seal_appended(io, key, nonce, aad, len(aad), io, len(pt))
    assert bytes(io) == ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    assert lib.crypto_chacha20poly1305_open_appended(io, key, nonce, aad, len(aad), io,
                                                     116) == 100
    assert bytes(io)[:100] == pt
    lib.crypto_chacha20poly1305_seal_appended(io, key, nonce, aad, len(aad), io, len(pt))
    io[115] ^= 1
    assert lib.crypto_chacha20poly1305_open_appended(io, key, nonce, aad, len(aad), io,
                                                     116) == APG_EAUTH
    assert bytes(io)[:100] == bytes(100)
    assert lib.crypto_chacha20poly1305_open_appended(io, key, nonce, aad, len(aad), io,
                                                     15) == APG_EINVAL
    assert lib.crypto_chacha20poly1305_open_appended(io, key, nonce, aad, len(aad), io,
                                                     2**31 + 16) == APG_EMSGSIZE
