"""P-256 field arithmetic, points and ECDH against Python integers, NIST CAVP
vectors (KeyPair, PKV, KAS ZZ-only) and the `cryptography` package."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto import pk_lib as pk
from tests.crypto.pk_gen_p256_asm import HEADER_PATH
from tests.crypto.pk_gen_p256_asm import render as render_asm
from tests.crypto.pk_p256_table import GX, GY, TABLE_PATH, B, N, P, mul, render
from tests.crypto.pk_vectors import ECDH, ECDSA, section_records

G = (GX, GY)


def fe(x: int) -> object:
    return pk.ffi().new("uint32_t[8]", [(x >> (32 * i)) & 0xFFFFFFFF for i in range(8)])


def val(a: object) -> int:
    return sum(a[i] << (32 * i) for i in range(8))  # type: ignore[index]


def enc(pt: tuple[int, int]) -> bytes:
    return b"\x04" + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")


def be(x: int) -> bytes:
    return x.to_bytes(32, "big")


# Values that stress carries and the reduction's folds: near p, near 2^256,
# words of all ones or zeros.
EDGE = [0, 1, 2, 3, P - 1, P - 2, P - 3, 2**255, 2**224, 2**192, 2**96, 2**32 - 1,
        P - 2**224, (P - 1) // 2, (P + 1) // 2, 2**256 - 2**224 - 1, 2**224 - 1,
        int("ffffffff00000000" * 4, 16) % P, int("00000000ffffffff" * 4, 16)]


def test_field_ops_match_python_integers() -> None:
    rng = random.Random(1)
    vals = EDGE + [rng.randrange(P) for _ in range(400)]
    r = pk.ffi().new("uint32_t[8]")
    lib = pk.c()
    for _ in range(3000):
        a, b = rng.choice(vals), rng.choice(vals)
        lib.p256_fe_mul(r, fe(a), fe(b))
        assert val(r) == a * b % P
        lib.p256_fe_sqr(r, fe(a))
        assert val(r) == a * a % P
        lib.p256_fe_add(r, fe(a), fe(b))
        assert val(r) == (a + b) % P
        lib.p256_fe_sub(r, fe(a), fe(b))
        assert val(r) == (a - b) % P
    for a in vals[:60]:
        lib.p256_fe_inv(r, fe(a))
        assert val(r) == pow(a, P - 2, P)


def test_field_decode_rejects_values_at_or_above_p() -> None:
    r = pk.ffi().new("uint32_t[8]")
    for x, ok in [(P - 1, 1), (P, 0), (P + 1, 0), (2**256 - 1, 0), (0, 1)]:
        assert pk.c().p256_fe_from_bytes(r, be(x)) == ok
        assert val(r) == x % P  # never an unreduced element


def test_scalar_ops_mod_n() -> None:
    rng = random.Random(2)
    r = pk.ffi().new("uint32_t[8]")
    vals = [1, 2, N - 1, N - 2, 2**255 % N] + [rng.randrange(1, N) for _ in range(200)]
    for a in vals:
        b = rng.choice(vals)
        pk.c().p256_sc_mul(r, fe(a), fe(b))
        assert val(r) == a * b % N
    for a in vals[:40]:
        pk.c().p256_sc_inv(r, fe(a))
        assert val(r) == pow(a, -1, N)
    for a in vals + [3, 2**128, N - 2**64, 2**255]:
        pk.c().p256_sc_inv_vartime(r, fe(a))
        assert val(r) == pow(a, -1, N)
    pk.c().p256_sc_inv_vartime(r, fe(0))
    assert val(r) == 0


def test_verify_table_is_the_generated_one() -> None:
    assert TABLE_PATH.read_text() == render()


def test_cortex_m3_assembly_is_the_generated_one() -> None:
    assert HEADER_PATH.read_text() == render_asm()


def test_public_key_edge_scalars() -> None:
    for d in [1, 2, 3, 15, 16, 17, N - 1, N - 2, 2**255, N // 2]:
        rc, pub = pk.p256_public_key(be(d))
        assert rc == pk.APG_OK
        pt = mul(d, G)
        assert pt is not None
        assert pub == enc(pt)
    for d in [0, N, N + 1, 2**256 - 1]:
        rc, pub = pk.p256_public_key(be(d))
        assert rc == pk.APG_EINVAL
        assert pub == bytes(65)


def test_cavp_keypair() -> None:
    recs = section_records(ECDSA / "FIPS_186-3" / "KeyPair.rsp", "P-256")
    assert len(recs) == 10
    for rec in recs:
        rc, pub = pk.p256_public_key(bytes.fromhex(rec["d"]))
        assert rc == pk.APG_OK
        assert pub == b"\x04" + bytes.fromhex(rec["Qx"]) + bytes.fromhex(rec["Qy"])


def test_cavp_pkv_public_key_validation() -> None:
    """PKV: our ECDH accepts exactly the public keys NIST marks valid."""
    recs = section_records(ECDSA / "FIPS_186-3" / "PKV.rsp", "P-256")
    assert len(recs) == 12
    seen = set()
    for rec in recs:
        qx, qy = int(rec["Qx"], 16), int(rec["Qy"], 16)
        if qx >= 2**256 or qy >= 2**256:
            # Longer than a coordinate: cannot even be encoded in 65 bytes.
            assert rec["Result"].startswith("F")
            continue
        rc, _ = pk.p256_ecdh(be(7), b"\x04" + be(qx) + be(qy))
        expect = pk.APG_OK if rec["Result"].startswith("P") else pk.APG_EBADMSG
        assert rc == expect, rec
        seen.add(rec["Result"][0])
    assert seen == {"P", "F"}


@pytest.mark.parametrize("fname", ["init", "resp"])
def test_cavp_kas_ecc_zz_only(fname: str) -> None:
    path = ECDH / f"KASValidityTest_ECCStaticUnified_NOKC_ZZOnly_{fname}.fax"
    recs = section_records(path, "EC - SHA256")
    assert len(recs) == 30
    for rec in recs:
        ds_iut = bytes.fromhex(rec["dsIUT"])
        peer = b"\x04" + bytes.fromhex(rec["QsCAVSx"]) + bytes.fromhex(rec["QsCAVSy"])
        own = b"\x04" + bytes.fromhex(rec["QsIUTx"]) + bytes.fromhex(rec["QsIUTy"])
        rc, z = pk.p256_ecdh(ds_iut, peer)
        rc_own, pub = pk.p256_public_key(ds_iut)
        own_ok = pk.p256_ecdh(be(1), own)[0] == pk.APG_OK and rc_own == 0 and pub == own
        ok = rc == pk.APG_OK and own_ok and z == bytes.fromhex(rec["Z"])
        assert ok == rec["Result"].startswith("P"), rec
        if "PKV" in rec["Result"] and "CAVS" in rec["Result"]:
            assert rc == pk.APG_EBADMSG
            assert z == bytes(32)


def test_ecdh_rejects_invalid_peer_points() -> None:
    good = enc((GX, GY))
    d = be(12345)
    assert pk.p256_ecdh(d, good)[0] == pk.APG_OK
    y0 = pow(B, (P + 1) // 4, P)  # (0, y0) is on the curve
    bad = [
        bytes(65),                                # all zero: bad prefix
        b"\x00" + bytes(64),                      # SEC1 infinity byte, padded
        b"\x02" + good[1:],                       # compressed prefix
        b"\x03" + good[1:],
        b"\x06" + good[1:],                       # hybrid
        b"\x04" + be(GX) + be((GY + 1) % P),      # off the curve
        b"\x04" + be(P) + be(y0),                 # x = p, which is 0 mod p
        b"\x04" + be(2**256 - 1) + be(GY),        # x >= p
        b"\x04" + be(GX) + be(P),                 # y = p
        b"\x04" + be(GX) + be(2**256 - 1),        # y >= p
        b"\x04" + bytes(64),                      # (0, 0): not on the curve
    ]
    for pt in bad:
        assert len(pt) == 65
        rc, z = pk.p256_ecdh(d, pt)
        assert rc == pk.APG_EBADMSG, pt.hex()
        assert z == bytes(32)
    # (0, sqrt(b)) is on the curve and must work; y and -y are both points.
    assert y0 * y0 % P == B
    for y in (y0, P - y0):
        rc, z = pk.p256_ecdh(d, b"\x04" + be(0) + be(y))
        pt = mul(12345, (0, y))
        assert pt is not None
        assert rc == pk.APG_OK and z == be(pt[0])


def test_ecdh_rejects_invalid_private_scalars() -> None:
    peer = enc((GX, GY))
    for d in [0, N, N + 5, 2**256 - 1]:
        rc, z = pk.p256_ecdh(be(d), peer)
        assert rc == pk.APG_EINVAL
        assert z == bytes(32)
    # n - 1 times P is -P: x(P) back.
    rc, z = pk.p256_ecdh(be(N - 1), peer)
    assert rc == pk.APG_OK and z == be(GX)


def test_point_doubling_cases_of_the_window_table() -> None:
    """Scalars whose windows hit the table's 0 entry and its doubled entries."""
    pt = mul(3, G)
    assert pt is not None
    for d in [0x10, 0x100, 0xF0F0F0F0, 2**252, 2**200 + 1, N - 16]:
        rc, z = pk.p256_ecdh(be(d), enc(pt))
        exp = mul(d, pt)
        assert exp is not None
        assert rc == pk.APG_OK and z == be(exp[0])


def _pub_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@settings(max_examples=40, deadline=None)
@given(a=st.integers(1, N - 1), b=st.integers(1, N - 1))
def test_ecdh_matches_cryptography(a: int, b: int) -> None:
    ka = ec.derive_private_key(a, ec.SECP256R1())
    kb = ec.derive_private_key(b, ec.SECP256R1())
    rc, pub = pk.p256_public_key(be(a))
    assert rc == pk.APG_OK and pub == _pub_bytes(ka)
    rc, z = pk.p256_ecdh(be(a), _pub_bytes(kb))
    assert rc == pk.APG_OK
    assert z == ka.exchange(ec.ECDH(), kb.public_key())
