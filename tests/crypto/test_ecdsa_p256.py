"""ECDSA P-256: NIST CAVP SigGen/SigVer, RFC 6979 A.2.5, Wycheproof-style edge
cases, strict DER, and differential checks against the `cryptography` package."""

from __future__ import annotations

import hashlib
import re

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto import pk_lib as pk
from tests.crypto.pk_p256_table import GX, GY, N, P, mul
from tests.crypto.pk_vectors import ECDSA, section_records

HASHES = {"SHA-1": "sha1", "SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384",
          "SHA-512": "sha512"}
CRYPTO_HASH = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512(),
               "sha1": hashes.SHA1(), "sha224": hashes.SHA224()}


def be(x: int) -> bytes:
    return x.to_bytes(32, "big")


def raw(r: int, s: int) -> bytes:
    return be(r) + be(s)


def pub_of(d: int) -> bytes:
    pt = mul(d, (GX, GY))
    assert pt is not None
    return b"\x04" + be(pt[0]) + be(pt[1])


def sign_with_nonce(digest: bytes, d: bytes, k: bytes) -> tuple[int, bytes]:
    out = pk.ffi().new("uint8_t[64]")
    rc = pk.c().crypto_ecdsa_p256_sign_with_nonce(out, digest, len(digest), d, k)
    return rc, bytes(out)


@pytest.mark.parametrize("hname", list(HASHES))
def test_cavp_siggen_with_given_nonce(hname: str) -> None:
    recs = section_records(ECDSA / "FIPS_186-3" / "SigGen.txt", f"P-256,{hname}")
    assert len(recs) == 15
    for rec in recs:
        digest = hashlib.new(HASHES[hname], bytes.fromhex(rec["Msg"])).digest()
        d = bytes.fromhex(rec["d"])
        rc, sig = sign_with_nonce(digest, d, bytes.fromhex(rec["k"]))
        assert rc == pk.APG_OK
        assert sig == bytes.fromhex(rec["R"]) + bytes.fromhex(rec["S"])
        pub = b"\x04" + bytes.fromhex(rec["Qx"]) + bytes.fromhex(rec["Qy"])
        assert pk.p256_public_key(d) == (pk.APG_OK, pub)
        assert pk.ecdsa_verify(digest, pub, sig) == pk.APG_OK


@pytest.mark.parametrize("hname", list(HASHES))
def test_cavp_sigver(hname: str) -> None:
    recs = section_records(ECDSA / "FIPS_186-3" / "SigVer.rsp", f"P-256,{hname}")
    assert len(recs) == 15
    outcomes = set()
    for rec in recs:
        digest = hashlib.new(HASHES[hname], bytes.fromhex(rec["Msg"])).digest()
        pub = b"\x04" + bytes.fromhex(rec["Qx"]) + bytes.fromhex(rec["Qy"])
        sig = bytes.fromhex(rec["R"]) + bytes.fromhex(rec["S"])
        rc = pk.ecdsa_verify(digest, pub, sig)
        if rec["Result"].startswith("P"):
            assert rc == pk.APG_OK, rec
        else:
            # "Q changed" gives a point off the curve (EBADMSG) or just a wrong key.
            assert rc in (pk.APG_EAUTH, pk.APG_EBADMSG), rec
        outcomes.add(rc)
    assert pk.APG_OK in outcomes and pk.APG_EAUTH in outcomes


def _rfc6979_p256() -> list[tuple[str, str, str, str]]:
    """(digest name, input, DER output, result) of the P-256 section."""
    text = (ECDSA / "RFC6979" / "evppkey_ecdsa_rfc6979.txt").read_text()
    sec = text.split("Title = RFC 6979 P-256")[1].split("Title = ")[0]
    out = []
    for block in sec.split("\n\n"):
        m = re.search(r"Digest(Sign|Verify) = (\S+)", block)
        if not m:
            continue
        inp = re.search(r'Input = "(.*)"', block)
        der = re.search(r"Output = ([0-9A-F]+)", block)
        assert inp and der
        res = "VERIFY_ERROR" if "VERIFY_ERROR" in block else "OK"
        out.append((m.group(1) + ":" + m.group(2), inp.group(1), der.group(1), res))
    return out


# RFC 6979 A.2.5 private key and public key (x, y).
RFC_D = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721
RFC_UX = 0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
RFC_UY = 0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299


def test_rfc6979_a25_vectors() -> None:
    vecs = _rfc6979_p256()
    assert len(vecs) >= 20
    pub = b"\x04" + be(RFC_UX) + be(RFC_UY)
    assert pk.p256_public_key(be(RFC_D)) == (pk.APG_OK, pub)
    signed = 0
    for kind, msg, der_hex, res in vecs:
        op, hname = kind.split(":")
        digest = hashlib.new(hname.lower(), msg.encode()).digest()
        rc, sig = pk.sig_from_der(bytes.fromhex(der_hex))
        assert rc == pk.APG_OK
        verdict = pk.ecdsa_verify(digest, pub, sig)
        assert verdict == (pk.APG_EAUTH if res == "VERIFY_ERROR" else pk.APG_OK)
        if op == "Sign" and hname == "SHA256":
            # Our nonce generator is RFC 6979's with HMAC-SHA256: for SHA-256
            # digests the signature must be the RFC's exactly.
            rc, mine = pk.ecdsa_sign(digest, be(RFC_D))
            assert rc == pk.APG_OK and mine == sig
            assert pk.sig_to_der(mine) == bytes.fromhex(der_hex)
            signed += 1
    assert signed == 2  # "sample" and "test"


def test_sign_accepts_32_and_48_byte_hashes_and_is_deterministic() -> None:
    d = be(RFC_D)
    key = ec.derive_private_key(RFC_D, ec.SECP256R1())
    for hname in ("sha256", "sha384", "sha512", "sha1"):
        digest = hashlib.new(hname, b"sample").digest()
        rc, s1 = pk.ecdsa_sign(digest, d)
        rc2, s2 = pk.ecdsa_sign(digest, d)
        assert rc == rc2 == pk.APG_OK and s1 == s2
        key.public_key().verify(pk.sig_to_der(s1), digest,
                                ec.ECDSA(utils.Prehashed(CRYPTO_HASH[hname])))


def test_sign_rejects_bad_private_keys_and_nonces() -> None:
    digest = hashlib.sha256(b"x").digest()
    for d in (0, N, 2**256 - 1):
        rc, sig = pk.ecdsa_sign(digest, be(d))
        assert rc == pk.APG_EINVAL and sig == bytes(64)
    for k in (0, N, N + 1):
        rc, sig = sign_with_nonce(digest, be(5), be(k))
        assert rc == pk.APG_EINVAL and sig == bytes(64)
    # Nonces at the ends of the range work.
    for k in (1, N - 1):
        rc, sig = sign_with_nonce(digest, be(5), be(k))
        assert rc == pk.APG_OK and pk.ecdsa_verify(digest, pub_of(5), sig) == pk.APG_OK


def test_verify_edge_cases() -> None:
    d = 0x1234567
    pub = pub_of(d)
    digest = hashlib.sha256(b"edge").digest()
    rc, sig = pk.ecdsa_sign(digest, be(d))
    assert rc == pk.APG_OK
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    assert pk.ecdsa_verify(digest, pub, sig) == pk.APG_OK
    # (r, -s) is also valid: ECDSA malleability is inherent, not a bug.
    assert pk.ecdsa_verify(digest, pub, raw(r, N - s)) == pk.APG_OK
    for rr, ss in [(0, s), (r, 0), (0, 0), (N, s), (r, N), (r + N, s) if r + N < 2**256 else (N, s),
                   (r, s + N) if s + N < 2**256 else (r, N), (2**256 - 1, s), (r, 2**256 - 1),
                   (P, s), (r, P), (r, s ^ 1), (r ^ 1, s), (N - r, s)]:
        assert pk.ecdsa_verify(digest, pub, raw(rr, ss)) == pk.APG_EAUTH, (rr, ss)
    bad_pubs = [bytes(65), b"\x03" + pub[1:], b"\x04" + pub[1:33] + be((int.from_bytes(
        pub[33:], "big") + 1) % P), b"\x04" + be(P) + pub[33:], b"\x04" + bytes(64)]
    for bp in bad_pubs:
        assert pk.ecdsa_verify(digest, bp, sig) == pk.APG_EBADMSG
    # The wrong hash, a truncated or extended hash (different leftmost bits).
    assert pk.ecdsa_verify(hashlib.sha256(b"edgf").digest(), pub, sig) == pk.APG_EAUTH
    assert pk.ecdsa_verify(digest[:31], pub, sig) == pk.APG_EAUTH
    # A hash longer than 32 bytes only counts by its first 32.
    assert pk.ecdsa_verify(digest + b"\xff" * 16, pub, sig) == pk.APG_OK


def test_verify_x_coordinate_wraps_past_n() -> None:
    """x(R) in [n, p): the signature carries r = x(R) - n and the verifier must
    also try r + n. Such R cannot be reached by signing with a known key in
    reasonable time, so build the case backwards (as Wycheproof does): pick R,
    r, s and the hash, then solve for the public key Q = r^-1 (s R - e G)."""
    from tests.crypto.pk_p256_table import B, add

    x0 = N
    while True:
        rhs = (x0**3 - 3 * x0 + B) % P
        y0 = pow(rhs, (P + 1) // 4, P)
        if y0 * y0 % P == rhs:
            break
        x0 += 1
    assert N <= x0 < P
    big_r = (x0, y0)
    digest = hashlib.sha256(b"wrap").digest()
    e = int.from_bytes(digest, "big") % N
    r, s = x0 - N, 0x1234567890ABCDEF
    sr = mul(s, big_r)
    eg = mul(N - e, (GX, GY))
    q = mul(pow(r, -1, N), add(sr, eg))
    assert q is not None
    pub = b"\x04" + be(q[0]) + be(q[1])
    assert pk.ecdsa_verify(digest, pub, raw(r, s)) == pk.APG_OK
    # x(R) itself is >= n: not a valid r.
    assert pk.ecdsa_verify(digest, pub, raw(x0, s)) == pk.APG_EAUTH
    assert pk.ecdsa_verify(digest, pub, raw(r + 1, s)) == pk.APG_EAUTH


# Strict DER: the encoding of r = s = 1 and variants that must be refused.
DER_BAD = [
    "",
    "30",
    "3006020101020101" + "00",           # trailing byte
    "3007020101020101",                  # sequence length too long
    "3005020101020101",                  # sequence length too short
    "308106020101020101",                # long-form length for 6
    "3080020101020101" + "0000",         # indefinite length
    "31060201010201 01".replace(" ", ""),  # SET, not SEQUENCE
    "3006030101020101",                  # BIT STRING instead of INTEGER
    "30060201ff020101",                  # negative r
    "3006020101020181",                  # negative s
    "300702020001020101",                # non-minimal r (leading zero)
    "30050200020101",                    # empty integer
    "3004020101",                        # s missing
    "3009020101020101020101",            # third integer
    "302802220000" + "00" * 32 + "020101",  # 34-byte r
    "3027022101" + "00" * 32 + "020101",  # 33 bytes without a sign reason: too long
]


def test_der_rejects_malformed() -> None:
    for hexstr in DER_BAD:
        rc, out = pk.sig_from_der(bytes.fromhex(hexstr))
        assert rc == pk.APG_EBADMSG, hexstr
        assert out == bytes(64)


def test_der_roundtrip_and_minimal_forms() -> None:
    assert pk.sig_from_der(bytes.fromhex("3006020101020101")) == (pk.APG_OK, raw(1, 1))
    # Top bit set: one 0x00 sign byte, which is minimal.
    v = 0x80 << 248
    der = pk.sig_to_der(raw(v, 0x7F))
    assert der == bytes.fromhex("3026022100" + f"{v:064x}" + "02017f")
    assert pk.sig_from_der(der) == (pk.APG_OK, raw(v, 0x7F))
    # Zero encodes as 02 01 00 (and the verifier refuses it later).
    assert pk.sig_to_der(raw(0, 0)) == bytes.fromhex("3006020100020100")
    assert pk.sig_from_der(bytes.fromhex("3006020100020100")) == (pk.APG_OK, raw(0, 0))
    # Too small an output buffer.
    out = pk.ffi().new("uint8_t[8]")
    assert pk.c().crypto_ecdsa_sig_to_der(out, 8, raw(v, v), 32) == pk.APG_EMSGSIZE


@settings(max_examples=60, deadline=None)
@given(r=st.integers(0, 2**256 - 1), s=st.integers(0, 2**256 - 1))
def test_der_matches_cryptography(r: int, s: int) -> None:
    der = utils.encode_dss_signature(r, s)
    assert pk.sig_to_der(raw(r, s)) == der
    assert pk.sig_from_der(der) == (pk.APG_OK, raw(r, s))


def _pub(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, N - 1), msg=st.binary(max_size=64),
       hname=st.sampled_from(["sha256", "sha384"]))
def test_our_signatures_verify_in_cryptography(d: int, msg: bytes, hname: str) -> None:
    key = ec.derive_private_key(d, ec.SECP256R1())
    digest = hashlib.new(hname, msg).digest()
    rc, sig = pk.ecdsa_sign(digest, be(d))
    assert rc == pk.APG_OK
    algo = ec.ECDSA(utils.Prehashed(CRYPTO_HASH[hname]))
    key.public_key().verify(pk.sig_to_der(sig), digest, algo)
    bad = bytearray(digest)
    bad[0] ^= 0x80
    with pytest.raises(InvalidSignature):
        key.public_key().verify(pk.sig_to_der(sig), bytes(bad), algo)


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, N - 1), msg=st.binary(max_size=64),
       hname=st.sampled_from(["sha256", "sha384"]), flip=st.integers(0, 511))
def test_cryptography_signatures_verify_here(d: int, msg: bytes, hname: str, flip: int) -> None:
    key = ec.derive_private_key(d, ec.SECP256R1())
    digest = hashlib.new(hname, msg).digest()
    der = key.sign(digest, ec.ECDSA(utils.Prehashed(CRYPTO_HASH[hname])))
    rc, sig = pk.sig_from_der(der)
    assert rc == pk.APG_OK
    pub = _pub(key)
    assert pk.ecdsa_verify(digest, pub, sig) == pk.APG_OK
    tampered = bytearray(sig)
    tampered[flip // 8] ^= 1 << (flip % 8)
    assert pk.ecdsa_verify(digest, pub, bytes(tampered)) == pk.APG_EAUTH


def test_hash_integers_at_the_edges() -> None:
    """Hashes whose integer is 0, n - 1, n, or above n (reduced mod n), and short
    hashes taken whole: our signatures verify in `cryptography` and back."""
    d = 0xC0FFEE
    key = ec.derive_private_key(d, ec.SECP256R1())
    pub = _pub(key)
    for h in (bytes(32), be(N - 1), be(N), be(N + 1), b"\xff" * 32, b"\xff" * 48,
              bytes(48), b"\x01" * 20):
        rc, sig = pk.ecdsa_sign(h, be(d))
        assert rc == pk.APG_OK
        der = pk.sig_to_der(sig)
        # cryptography applies the same leftmost-bits rule for prehashed input.
        algo = {20: hashes.SHA1(), 32: hashes.SHA256(), 48: hashes.SHA384()}[len(h)]
        key.public_key().verify(der, h, ec.ECDSA(utils.Prehashed(algo)))
        theirs = key.sign(h, ec.ECDSA(utils.Prehashed(algo)))
        assert pk.ecdsa_verify(h, pub, pk.sig_from_der(theirs)[1]) == pk.APG_OK
    # e = n and e = 0 are the same integer mod n: one signature serves both.
    rc, sig = pk.ecdsa_sign(be(N), be(d))
    assert pk.ecdsa_verify(bytes(32), pub, sig) == pk.APG_OK
