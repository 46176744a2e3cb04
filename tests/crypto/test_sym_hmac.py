"""HMAC-SHA256 / HMAC-SHA384: RFC 4231 vectors and differential tests against `cryptography`."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.sym_lib import buf, load, parse_rsp, vectors_dir

SIZES = {"sha256": 32, "sha384": 48}
CTX = {"sha256": "crypto_hmac_sha256_ctx *", "sha384": "crypto_hmac_sha384_ctx *"}


def mac(alg: str, key: bytes, msg: bytes) -> bytes:
    ffi, lib = load()
    out = ffi.new(f"uint8_t[{SIZES[alg]}]")
    getattr(lib, f"crypto_hmac_{alg}")(buf(ffi, key), len(key), buf(ffi, msg), len(msg), out)
    return bytes(out)


def mac_streamed(alg: str, key: bytes, chunks: list[bytes]) -> bytes:
    ffi, lib = load()
    ctx = ffi.new(CTX[alg])
    getattr(lib, f"crypto_hmac_{alg}_init")(ctx, buf(ffi, key), len(key))
    for c in chunks:
        getattr(lib, f"crypto_hmac_{alg}_update")(ctx, buf(ffi, c), len(c))
    out = ffi.new(f"uint8_t[{SIZES[alg]}]")
    getattr(lib, f"crypto_hmac_{alg}_final")(ctx, out)
    assert bytes(ffi.buffer(ctx)) == bytes(ffi.sizeof(ctx[0])), "final() must wipe"
    return bytes(out)


@pytest.mark.parametrize("alg", ["sha256", "sha384"])
def test_rfc4231(alg: str) -> None:
    records = parse_rsp(vectors_dir() / "HMAC" / f"rfc-4231-{alg}.txt")
    records = [r for r in records if "MD" in r]
    assert len(records) >= 6
    for r in records:
        key, msg = bytes.fromhex(r["Key"]), bytes.fromhex(r["Msg"])
        assert mac(alg, key, msg).hex() == r["MD"], r["Len"]


def reference(alg: str, key: bytes, msg: bytes) -> bytes:
    h = chmac.HMAC(key, hashes.SHA256() if alg == "sha256" else hashes.SHA384())
    h.update(msg)
    return h.finalize()


@pytest.mark.parametrize("alg", ["sha256", "sha384"])
@settings(max_examples=150, deadline=None)
@given(key=st.binary(max_size=300), msg=st.binary(max_size=400),
       cut=st.integers(0, 400))
def test_matches_cryptography(alg: str, key: bytes, msg: bytes, cut: int) -> None:
    want = reference(alg, key, msg)
    assert mac(alg, key, msg) == want
    assert mac_streamed(alg, key, [msg[:cut], msg[cut:]]) == want


@pytest.mark.parametrize("alg", ["sha256", "sha384"])
def test_key_length_boundaries(alg: str) -> None:
    """Keys around the block size: shorter keys are padded, longer ones hashed first."""
    block = 64 if alg == "sha256" else 128
    for n in [0, 1, block - 1, block, block + 1, 2 * block + 3]:
        key = bytes((i * 13 + 1) & 0xFF for i in range(n))
        assert mac(alg, key, b"msg") == hmac.new(key, b"msg", getattr(hashlib, alg)).digest()
