"""HKDF-SHA256/384: RFC 5869 vectors and differential tests against `cryptography`."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.sym_lib import APG_EINVAL, APG_OK, buf, load, parse_rsp, vectors_dir

HASHLEN = {"sha256": 32, "sha384": 48}


def extract(alg: str, salt: bytes, ikm: bytes) -> bytes:
    ffi, lib = load()
    prk = ffi.new(f"uint8_t[{HASHLEN[alg]}]")
    getattr(lib, f"crypto_hkdf_{alg}_extract")(buf(ffi, salt), len(salt), buf(ffi, ikm),
                                                len(ikm), prk)
    return bytes(prk)


def expand(alg: str, prk: bytes, info: bytes, n: int) -> tuple[int, bytes]:
    ffi, lib = load()
    okm = ffi.new(f"uint8_t[{n + 1}]")  # one guard byte past the end must stay untouched
    okm[n] = 0xA5
    rc = getattr(lib, f"crypto_hkdf_{alg}_expand")(buf(ffi, prk), len(prk), buf(ffi, info),
                                                   len(info), okm, n)
    assert okm[n] == 0xA5
    return rc, bytes(okm)[:n]


def test_rfc5869() -> None:
    path = vectors_dir() / "KDF" / "rfc-5869-HKDF-SHA256.txt"
    records = [r for r in parse_rsp(path) if "OKM" in r]
    assert len(records) == 3
    for r in records:
        ikm, salt, info = (bytes.fromhex(r[k]) for k in ("IKM", "salt", "info"))
        prk = extract("sha256", salt, ikm)
        assert prk.hex() == r["PRK"]
        rc, okm = expand("sha256", prk, info, int(r["L"]))
        assert rc == APG_OK
        assert okm.hex() == r["OKM"]


def test_generated_long_output() -> None:
    """pyca's 1200-byte HKDF-SHA256 vector (many expand blocks)."""
    records = [r for r in parse_rsp(vectors_dir() / "KDF" / "hkdf-generated.txt") if "OKM" in r]
    assert records
    for r in records:
        assert r["Hash"] == "SHA-256"
        prk = extract("sha256", value(r["salt"]), bytes.fromhex(r["IKM"]))
        rc, okm = expand("sha256", prk, value(r["info"]), int(r["L"]))
        assert rc == APG_OK and okm.hex() == r["OKM"]


def value(text: str) -> bytes:
    return bytes.fromhex(text)


def _hash(alg: str) -> hashes.HashAlgorithm:
    return hashes.SHA256() if alg == "sha256" else hashes.SHA384()


@pytest.mark.parametrize("alg", ["sha256", "sha384"])
@settings(max_examples=120, deadline=None)
@given(salt=st.binary(max_size=200), ikm=st.binary(max_size=100),
       info=st.binary(max_size=100), n=st.integers(0, 600))
def test_matches_cryptography(alg: str, salt: bytes, ikm: bytes, info: bytes, n: int) -> None:
    prk = extract(alg, salt, ikm)
    rc, okm = expand(alg, prk, info, n)
    assert rc == APG_OK
    if n:
        want = HKDF(_hash(alg), n, salt or None, info).derive(ikm)
        assert okm == want


@pytest.mark.parametrize("alg", ["sha256", "sha384"])
def test_expand_limit(alg: str) -> None:
    """255 * HashLen is the most RFC 5869 allows; one byte more is refused, nothing written."""
    top = 255 * HASHLEN[alg]
    prk = bytes(range(HASHLEN[alg]))
    rc, okm = expand(alg, prk, b"info", top)
    assert rc == APG_OK
    assert okm == HKDFExpand(_hash(alg), top, b"info").derive(prk)
    rc, okm = expand(alg, prk, b"info", top + 1)
    assert rc == APG_EINVAL
    assert okm == bytes(top + 1)
