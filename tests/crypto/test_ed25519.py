"""Ed25519 (RFC 8032 pure): the RFC's vectors, malformed inputs, differential tests.

References: RFC 8032 section 7.1 (tests 1, 2, 3 and 1024 are lines 1-3 and 1024
of djb's sign.input, shipped in cryptography-vectors; SHA(abc) is typed from the
RFC), the rest of sign.input, the pure-Python c25519_ref, and OpenSSL through
the `cryptography` package.
"""

from __future__ import annotations

import hashlib
import os

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto import c25519_ref as ref
from tests.crypto.c25519_lib import APG_EAUTH, APG_OK, ed25519_keypair, ed25519_sign, ed25519_verify
from tests.crypto.sym_lib import vectors_dir

L = ref.L
P = ref.P


def sign_input() -> list[tuple[bytes, bytes, bytes, bytes]]:
    """(seed, pk, msg, sig) per line of sign.input: sk:pk:msg:sig||msg:."""
    out = []
    for line in (vectors_dir() / "asymmetric" / "Ed25519" / "sign.input").read_text().splitlines():
        sk, pk, msg, sm, _ = line.split(":")
        out.append((bytes.fromhex(sk)[:32], bytes.fromhex(pk), bytes.fromhex(msg),
                    bytes.fromhex(sm)[:64]))
    return out


def openssl_verify(sig: bytes, pk: bytes, msg: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
    except (InvalidSignature, ValueError):
        return False
    return True


# ---- RFC 8032 section 7.1 -------------------------------------------------------

RFC8032_LINES = {"TEST 1": 0, "TEST 2": 1, "TEST 3": 2, "TEST 1024": 1023}

SHA_ABC = (
    "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
    "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
)


@pytest.mark.parametrize("name", [*RFC8032_LINES, "TEST SHA(abc)"])
def test_rfc8032_section_7_1(name: str) -> None:
    if name == "TEST SHA(abc)":
        seed, pk, sig = (bytes.fromhex(x) for x in SHA_ABC)
        msg = hashlib.sha512(b"abc").digest()
    else:
        seed, pk, msg, sig = sign_input()[RFC8032_LINES[name]]
    if name == "TEST 1024":
        assert len(msg) == 1023
    got_pk, sk = ed25519_keypair(seed)
    assert got_pk == pk
    assert sk == seed + pk
    assert ed25519_sign(sk, msg) == sig
    assert ed25519_verify(sig, pk, msg) == APG_OK


def test_sign_input_all_1024() -> None:
    for seed, pk, msg, sig in sign_input():
        got_pk, sk = ed25519_keypair(seed)
        assert got_pk == pk
        assert ed25519_sign(sk, msg) == sig
        assert ed25519_verify(sig, pk, msg) == APG_OK


# ---- rejection -----------------------------------------------------------------

def _key() -> tuple[bytes, bytes, bytes]:
    seed = os.urandom(32)
    pk, sk = ed25519_keypair(seed)
    return seed, pk, sk


def test_wrong_key_and_modified_message() -> None:
    _, pk, sk = _key()
    _, pk2, _ = _key()
    msg = os.urandom(100)
    sig = ed25519_sign(sk, msg)
    assert ed25519_verify(sig, pk, msg) == APG_OK
    assert ed25519_verify(sig, pk2, msg) == APG_EAUTH
    assert ed25519_verify(sig, pk, msg[:-1]) == APG_EAUTH
    assert ed25519_verify(sig, pk, msg + b"\0") == APG_EAUTH
    for i in range(len(msg)):
        m = bytearray(msg)
        m[i] ^= 1 << (i % 8)
        assert ed25519_verify(sig, pk, bytes(m)) == APG_EAUTH


def test_every_signature_bit_matters() -> None:
    _, pk, sk = _key()
    msg = b"apogee"
    sig = ed25519_sign(sk, msg)
    for bit in range(512):
        s = bytearray(sig)
        s[bit // 8] ^= 1 << (bit % 8)
        assert ed25519_verify(bytes(s), pk, msg) == APG_EAUTH, bit


def test_non_canonical_s_rejected() -> None:
    # S + L verifies the same group equation; RFC 8032 requires rejecting S >= L.
    _, pk, sk = _key()
    for msg in (b"", b"x", os.urandom(64)):
        sig = ed25519_sign(sk, msg)
        s = int.from_bytes(sig[32:], "little")
        assert s < L
        for bad in (s + L, s + 2 * L, s + 15 * L):
            if bad < 2**256:
                forged = sig[:32] + bad.to_bytes(32, "little")
                assert ed25519_verify(forged, pk, msg) == APG_EAUTH
                assert not openssl_verify(forged, pk, msg)
    # S = L exactly and S = 2^256 - 1 as well.
    sig = ed25519_sign(sk, b"m")
    for bad in (L, 2**256 - 1, 2**255):
        assert ed25519_verify(sig[:32] + bad.to_bytes(32, "little"), pk, b"m") == APG_EAUTH


def _sign_with_r(a: int, pk: bytes, r: int, rbytes: bytes, msg: bytes) -> bytes:
    """A signature whose R is the given (maybe non-canonical) encoding of r B."""
    k = int.from_bytes(hashlib.sha512(rbytes + pk + msg).digest(), "little") % L
    return rbytes + ((r + k * a) % L).to_bytes(32, "little")


def _secret_scalar(seed: bytes) -> int:
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    return (a & ((1 << 254) - 8)) | (1 << 254)


def test_non_canonical_r_rejected() -> None:
    seed, pk, _ = _key()
    a = _secret_scalar(seed)
    msg = b"non-canonical R"
    # R = identity (r = 0): canonical 01 00..00, non-canonical y = p + 1.
    good = _sign_with_r(a, pk, 0, (1).to_bytes(32, "little"), msg)
    assert ed25519_verify(good, pk, msg) == APG_OK
    for rb in ((P + 1).to_bytes(32, "little"),                # y >= p
               ((1 << 255) | 1).to_bytes(32, "little")):     # x = 0 with the sign bit
        bad = _sign_with_r(a, pk, 0, rb, msg)
        assert ed25519_verify(bad, pk, msg) == APG_EAUTH
    # A non-canonical R for a point with small y, in general: y = p + y0 (y0 < 19).
    for y0 in range(19):
        pt = ref.decode(y0.to_bytes(32, "little"))
        if pt is None or y0 == 1:
            continue
        # We cannot know r for this R, so sign with its canonical encoding via
        # an arbitrary equation instead: only the encoding check is exercised.
        rb = (P + y0).to_bytes(32, "little")
        assert ed25519_verify(rb + bytes(32), pk, msg) == APG_EAUTH


def _no_root_y() -> int:
    y = 2
    while ref.decode(y.to_bytes(32, "little")) is not None:
        y += 1
    return y


def test_invalid_public_keys_rejected() -> None:
    seed, pk, sk = _key()
    msg = b"key"
    sig = ed25519_sign(sk, msg)
    bad_keys = [
        (P + 1).to_bytes(32, "little"),               # identity, non-canonical y
        (2**255 - 1).to_bytes(32, "little"),          # y = 2^255 - 1 >= p
        ((1 << 255) | 1).to_bytes(32, "little"),      # x = 0 but sign bit set
        ((1 << 255) | (P - 1)).to_bytes(32, "little"),  # y = -1: x = 0, sign set
        _no_root_y().to_bytes(32, "little"),          # not on the curve
    ]
    for bad in bad_keys:
        assert ref.decode(bad) is None
        assert ed25519_verify(sig, bad, msg) == APG_EAUTH
    for y in range(P, 2**255):                        # every y >= p
        for sign in (0, 1 << 255):
            assert ed25519_verify(sig, (y | sign).to_bytes(32, "little"), msg) == APG_EAUTH


def test_small_order_key_follows_cofactorless_equation() -> None:
    # A = identity is a valid encoding. Cofactorless verification accepts exactly
    # when encode([S]B - [k]A) == R; with A = 0 that is R = encode([S]B).
    ident = (1).to_bytes(32, "little")
    s = int.from_bytes(os.urandom(32), "little") % L
    r = ref.encode(ref.mul(s, ref.BASE))
    sig = r + s.to_bytes(32, "little")
    assert ed25519_verify(sig, ident, b"any") == APG_OK
    assert ed25519_verify(sig, ident, b"other") == APG_OK  # k is multiplied by 0
    assert ed25519_verify(r + ((s + 1) % L).to_bytes(32, "little"), ident, b"any") == APG_EAUTH


def test_mixed_order_r_is_not_cofactored() -> None:
    # R' = R + T (T of order 2: (0, -1)) satisfies [8][S]B = [8]R' + [8][k]A
    # but not the cofactorless equation: documented as rejected.
    seed, pk, _ = _key()
    a = _secret_scalar(seed)
    msg = b"cofactor"
    r = 12345
    rp = ref.add(ref.mul(r, ref.BASE), (0, P - 1))
    rb = ref.encode(rp)
    k = int.from_bytes(hashlib.sha512(rb + pk + msg).digest(), "little") % L
    sig = rb + ((r + k * a) % L).to_bytes(32, "little")
    assert ed25519_verify(sig, pk, msg) == APG_EAUTH
    assert not openssl_verify(sig, pk, msg)


def test_sign_matches_python_reference() -> None:
    for n in (0, 1, 111, 112, 127, 128, 129, 300):
        seed = os.urandom(32)
        msg = os.urandom(n)
        pk, sk = ed25519_keypair(seed)
        assert ed25519_sign(sk, msg) == ref.ed25519_sign(seed, msg)


# ---- differential: OpenSSL via cryptography ---------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(max_size=300))
def test_against_openssl(seed: bytes, msg: bytes) -> None:
    theirs = Ed25519PrivateKey.from_private_bytes(seed)
    their_pk = theirs.public_key().public_bytes_raw()
    pk, sk = ed25519_keypair(seed)
    assert pk == their_pk
    sig = ed25519_sign(sk, msg)
    # Deterministic signatures: equal bytes, each verifies on the other side.
    assert sig == theirs.sign(msg)
    assert openssl_verify(sig, their_pk, msg)
    assert ed25519_verify(theirs.sign(msg), pk, msg) == APG_OK


@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=64, max_size=64), st.binary(min_size=32, max_size=32),
       st.binary(max_size=40))
def test_random_garbage_agrees_with_openssl(sig: bytes, pk: bytes, msg: bytes) -> None:
    assert (ed25519_verify(sig, pk, msg) == APG_OK) == openssl_verify(sig, pk, msg)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(max_size=64),
       st.lists(st.tuples(st.integers(0, 95), st.integers(1, 255)), max_size=3),
       st.sampled_from([0, L, 2 * L]))
def test_near_valid_inputs_agree_with_openssl(seed: bytes, msg: bytes,
                                              flips: list[tuple[int, int]], add_l: int) -> None:
    # A valid (sig, pk) with a few bytes changed and/or S pushed past L: both
    # implementations must reach the same verdict.
    pk, sk = ed25519_keypair(seed)
    blob = bytearray(ed25519_sign(sk, msg) + pk)
    s = int.from_bytes(blob[32:64], "little") + add_l
    if s < 2**256:
        blob[32:64] = s.to_bytes(32, "little")
    for pos, x in flips:
        blob[pos] ^= x
    sig, key = bytes(blob[:64]), bytes(blob[64:])
    assert (ed25519_verify(sig, key, msg) == APG_OK) == openssl_verify(sig, key, msg)
