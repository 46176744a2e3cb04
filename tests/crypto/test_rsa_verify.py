"""RSA signature verification (PKCS#1 v1.5 and PSS) and the Montgomery bignum
under it: NIST CAVP SigVer 186-3 files, hand-built malformed encodings, and
signatures made by the `cryptography` package."""

from __future__ import annotations

import functools
import hashlib
import random

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto import pk_lib as pk
from tests.crypto.pk_vectors import RSA, rsp_records

CRYPTO_HASH = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
HLEN = {"sha256": 32, "sha384": 48, "sha512": 64}
SALT_AUTO, SALT_HASH_LEN = -1, -2


def limbs(x: int, n: int = 128) -> object:
    return pk.ffi().new(f"uint32_t[{n}]", [(x >> (32 * i)) & 0xFFFFFFFF for i in range(n)])


def val(a: object, n: int) -> int:
    return sum(a[i] << (32 * i) for i in range(n))  # type: ignore[index]


def test_montgomery_multiplication_and_pow() -> None:
    rng = random.Random(3)
    ctx = pk.ffi().new("struct bn_mont *")
    for bits in [33, 64, 255, 256, 1023, 2048, 2049, 3072, 4095, 4096]:
        for _ in range(3):
            m = rng.getrandbits(bits) | 1 | (1 << (bits - 1))
            mb = m.to_bytes((bits + 7) // 8, "big")
            assert pk.c().bn_mont_init(ctx, mb, len(mb)) == 0
            n = ctx.n
            big_r = 1 << (32 * n)
            assert val(ctx.r2, n) == big_r * big_r % m
            assert (ctx.m0inv * m) % 2**32 == 2**32 - 1
            for a, b in [(rng.randrange(m), rng.randrange(m)), (m - 1, m - 1), (0, m - 1)]:
                out = pk.ffi().new("uint32_t[128]")
                pk.c().bn_mont_mul(out, limbs(a), limbs(b), ctx)
                assert val(out, n) == a * b * pow(big_r, -1, m) % m
            a = rng.randrange(m)
            for e in [0, 1, 3, 65537, rng.getrandbits(70)]:
                eb = e.to_bytes(max(1, (e.bit_length() + 7) // 8), "big")
                out = pk.ffi().new("uint32_t[128]")
                pk.c().bn_mont_pow_public(out, limbs(a), eb, len(eb), ctx)
                assert val(out, n) == pow(a, e, m)
    for bad in [b"\x02", b"\x01", b"", b"\x10\x00", bytes(520)]:
        assert pk.c().bn_mont_init(ctx, bad, len(bad)) == -1


def _cavp(fname: str) -> list[tuple[int, dict[str, str]]]:
    out = []
    for sec, rec in rsp_records(RSA / "FIPS_186-2" / fname):
        out.append((int(sec.split("=")[1]), rec))
    return out


@pytest.mark.parametrize("fname,pss", [("SigVer15_186-3.rsp", False),
                                       ("SigVerPSS_186-3.rsp", True)])
def test_cavp_sigver(fname: str, pss: bool) -> None:
    checked = {"P": 0, "F": 0, "small": 0}
    for mod, rec in _cavp(fname):
        hname = rec["SHAAlg"].lower()
        n, e = int(rec["n"], 16), int(rec["e"], 16)
        digest = hashlib.new(hname, bytes.fromhex(rec["Msg"])).digest()
        sig = bytes.fromhex(rec["S"])
        if hname not in HLEN:
            continue  # SHA-1 and SHA-224 are not offered
        if pss:
            salt = len(bytes.fromhex(rec["SaltVal"]))
            rc = pk.rsa_verify_pss(n, e, hname, digest, sig, salt)
            rc_auto = pk.rsa_verify_pss(n, e, hname, digest, sig, SALT_AUTO)
            assert rc_auto == rc or (rc != pk.APG_OK and rc_auto != pk.APG_OK)
        else:
            rc = pk.rsa_verify_pkcs1(n, e, hname, digest, sig)
        if mod < 2048:
            assert rc == pk.APG_ENOTSUP
            checked["small"] += 1
        elif rec["Result"].startswith("P"):
            assert rc == pk.APG_OK, (mod, rec)
            checked["P"] += 1
        else:
            assert rc in (pk.APG_EAUTH, pk.APG_EINVAL), (mod, rec, rc)
            checked["F"] += 1
    assert checked["P"] >= 27 and checked["F"] >= 135 and checked["small"] > 0


@functools.cache
def key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, bits)


def _is_probable_prime(x: int, rng: random.Random) -> bool:
    for sp in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if x % sp == 0:
            return x == sp
    d, r = x - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(20):
        y = pow(rng.randrange(2, x - 1), d, x)
        if y in (1, x - 1):
            continue
        for _ in range(r - 1):
            y = y * y % x
            if y == x - 1:
                break
        else:
            return False
    return True


@functools.cache
def odd_size_key(bits: int) -> tuple[int, int, int]:
    """(n, e, d) with n of exactly `bits` bits: OpenSSL rounds odd sizes to the
    byte, and the EM-shorter-than-modulus case needs bits = 8k + 1."""
    rng = random.Random(bits)
    e = 65537

    def prime(pbits: int) -> int:
        while True:
            c = rng.getrandbits(pbits) | (3 << (pbits - 2)) | 1
            if (c - 1) % e and _is_probable_prime(c, rng):
                return c

    while True:
        p, q = prime(bits - bits // 2), prime(bits // 2)
        n = p * q
        if n.bit_length() == bits and p != q:
            return n, e, pow(e, -1, (p - 1) * (q - 1))


def mgf1(seed: bytes, length: int, hname: str) -> bytes:
    out = b""
    c = 0
    while len(out) < length:
        out += hashlib.new(hname, seed + c.to_bytes(4, "big")).digest()
        c += 1
    return out[:length]


def pss_encode(mhash: bytes, salt: bytes, em_bits: int, hname: str, *,
               trailer: int = 0xBC, sep: int = 1, keep_top: bool = False) -> bytes:
    hlen = HLEN[hname]
    em_len = (em_bits + 7) // 8
    h = hashlib.new(hname, b"\0" * 8 + mhash + salt).digest()
    db = b"\0" * (em_len - len(salt) - hlen - 2) + bytes([sep]) + salt
    masked = bytearray(a ^ b for a, b in zip(db, mgf1(h, len(db), hname), strict=True))
    if not keep_top:
        masked[0] &= 0xFF >> (8 * em_len - em_bits)
    return bytes(masked) + h + bytes([trailer])


def raw_sign(k: rsa.RSAPrivateKey | tuple[int, int, int], em: bytes) -> bytes:
    """The RSA private operation on an encoded message we built ourselves."""
    if isinstance(k, tuple):
        n, _, d = k
    else:
        n, d = k.private_numbers().public_numbers.n, k.private_numbers().d
    size = (n.bit_length() + 7) // 8
    return pow(int.from_bytes(em, "big"), d, n).to_bytes(size, "big")


DIGEST_INFO = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


def pkcs1_encode(digest: bytes, k_len: int, hname: str, *, bt: int = 1, ps: int = 0xFF,
                 di: bytes | None = None, sep: int = 0, extra: bytes = b"") -> bytes:
    t = (DIGEST_INFO[hname] if di is None else di) + digest + extra
    return b"\x00" + bytes([bt]) + bytes([ps]) * (k_len - 3 - len(t)) + bytes([sep]) + t


def nums(k: rsa.RSAPrivateKey) -> tuple[int, int, int]:
    pn = k.public_key().public_numbers()
    return pn.n, pn.e, (pn.n.bit_length() + 7) // 8


def test_pkcs1_encoding_must_match_exactly() -> None:
    k = key(2048)
    n, e, size = nums(k)
    digest = hashlib.sha256(b"m").digest()
    good = raw_sign(k, pkcs1_encode(digest, size, "sha256"))
    assert pk.rsa_verify_pkcs1(n, e, "sha256", digest, good) == pk.APG_OK
    di_no_null = bytes.fromhex("302f300b0609608648016503040201" + "0420")
    bad_ems = [
        pkcs1_encode(digest, size, "sha256", bt=2),
        pkcs1_encode(digest, size, "sha256", ps=0xFE),
        pkcs1_encode(digest, size, "sha256", sep=1),
        pkcs1_encode(digest, size, "sha256", di=di_no_null),      # parameters absent
        pkcs1_encode(digest, size, "sha256", di=DIGEST_INFO["sha384"][:-1] + b"\x20"),
        pkcs1_encode(digest[:-1], size, "sha256", extra=b"\x00"),
        pkcs1_encode(digest, size, "sha256", extra=b"\x00"),  # garbage after digest
        b"\x01" + pkcs1_encode(digest, size, "sha256")[1:],        # leading byte not 00
    ]
    for em in bad_ems:
        assert len(em) == size
        assert pk.rsa_verify_pkcs1(n, e, "sha256", digest, raw_sign(k, em)) == pk.APG_EAUTH
    # The same valid block with another hash id, and another digest.
    assert pk.rsa_verify_pkcs1(n, e, "sha256", hashlib.sha256(b"n").digest(), good) \
        == pk.APG_EAUTH


def test_signature_representative_and_length() -> None:
    k = key(2048)
    n, e, size = nums(k)
    digest = hashlib.sha256(b"m").digest()
    good = raw_sign(k, pkcs1_encode(digest, size, "sha256"))
    for sig in [n.to_bytes(size, "big"), (n + 1).to_bytes(size, "big"), b"\xff" * size,
                good[:-1], good + b"\x00", b"\x00" + good, b""]:
        assert pk.rsa_verify_pkcs1(n, e, "sha256", digest, sig) == pk.APG_EAUTH
        assert pk.rsa_verify_pss(n, e, "sha256", digest, sig, SALT_AUTO) == pk.APG_EAUTH
    # s = n - 1, 0 and 1 are in range but are not signatures.
    for v in (0, 1, n - 1):
        assert pk.rsa_verify_pkcs1(n, e, "sha256", digest, v.to_bytes(size, "big")) \
            == pk.APG_EAUTH


def test_key_and_argument_validation() -> None:
    k = key(2048)
    n, e, size = nums(k)
    digest = hashlib.sha256(b"m").digest()
    good = raw_sign(k, pkcs1_encode(digest, size, "sha256"))
    small = rsa.generate_private_key(65537, 1024)
    sn, se, ssize = nums(small)
    sig_small = raw_sign(small, pkcs1_encode(digest, ssize, "sha256"))
    assert pk.rsa_verify_pkcs1(sn, se, "sha256", digest, sig_small) == pk.APG_ENOTSUP
    assert pk.rsa_verify_pkcs1((1 << 4100) + 1, 3, "sha256", digest, b"\x01" * 513) \
        == pk.APG_ENOTSUP
    assert pk.rsa_verify_pkcs1((1 << 2047) + 1, 3, "sha256", digest, good) != pk.APG_OK
    assert pk.rsa_verify_pkcs1(n - 1, e, "sha256", digest, good) == pk.APG_EINVAL  # even n
    for bad_e in (1, 2, 65536, n + 2):
        assert pk.rsa_verify_pkcs1(n, bad_e, "sha256", digest, good) == pk.APG_EINVAL
    assert pk.rsa_verify_pkcs1(n, e, "sha256", digest[:31], good) == pk.APG_EINVAL
    assert pk.rsa_verify_pss(n, e, "sha256", digest, good, -3) == pk.APG_EINVAL
    nb, eb = n.to_bytes(size, "big"), e.to_bytes(3, "big")
    assert pk.c().crypto_rsa_verify_pkcs1(nb, size, eb, 3, 7, digest, 32, good, size) \
        == pk.APG_ENOTSUP
    # A leading zero byte on n and e (as DER INTEGERs carry them) is fine.
    nb0, eb0 = b"\x00" + nb, b"\x00" + eb
    assert pk.c().crypto_rsa_verify_pkcs1(nb0, size + 1, eb0, 4, 0, digest, 32, good, size) \
        == pk.APG_OK


@pytest.mark.parametrize("bits", [2048, 2049, 2055])
def test_pss_encoding_variants(bits: int) -> None:
    """Hand-built PSS blocks, including a modulus of 8k + 1 bits (EM one byte
    shorter than the modulus) and one with 7 spare top bits."""
    k = odd_size_key(bits)
    n, e, _ = k
    assert n.bit_length() == bits
    em_bits = n.bit_length() - 1
    digest = hashlib.sha256(b"pss").digest()
    salt = bytes(range(32))

    def verify(em: bytes, salt_len: int = SALT_HASH_LEN) -> int:
        return pk.rsa_verify_pss(n, e, "sha256", digest, raw_sign(k, em), salt_len)

    assert verify(pss_encode(digest, salt, em_bits, "sha256")) == pk.APG_OK
    assert verify(pss_encode(digest, salt, em_bits, "sha256"), 32) == pk.APG_OK
    assert verify(pss_encode(digest, salt, em_bits, "sha256"), 31) == pk.APG_EAUTH
    assert verify(pss_encode(digest, salt[:20], em_bits, "sha256")) == pk.APG_EAUTH
    assert verify(pss_encode(digest, salt[:20], em_bits, "sha256"), SALT_AUTO) == pk.APG_OK
    assert verify(pss_encode(digest, b"", em_bits, "sha256"), 0) == pk.APG_OK
    assert verify(pss_encode(digest, b"", em_bits, "sha256"), SALT_AUTO) == pk.APG_OK
    big_salt = bytes(range(200))
    assert verify(pss_encode(digest, big_salt, em_bits, "sha256"), SALT_AUTO) == pk.APG_OK
    assert verify(pss_encode(digest, salt, em_bits, "sha256", trailer=0xBB)) == pk.APG_EAUTH
    assert verify(pss_encode(digest, salt, em_bits, "sha256", sep=2)) == pk.APG_EAUTH
    assert verify(pss_encode(digest, salt, em_bits, "sha256", sep=0), SALT_AUTO) \
        == pk.APG_EAUTH
    other = hashlib.sha256(b"other").digest()
    assert verify(pss_encode(other, salt, em_bits, "sha256")) == pk.APG_EAUTH
    # Bits above emBits set in the first byte (when there are any).
    if (8 * ((em_bits + 7) // 8) - em_bits) > 0:
        em = bytearray(pss_encode(digest, salt, em_bits, "sha256"))
        em[0] |= 0x80
        assert verify(bytes(em)) == pk.APG_EAUTH
    # One byte of the masked DB or of H changed.
    em = bytearray(pss_encode(digest, salt, em_bits, "sha256"))
    em[len(em) // 2] ^= 1
    assert verify(bytes(em)) == pk.APG_EAUTH
    em = bytearray(pss_encode(digest, salt, em_bits, "sha256"))
    em[-2] ^= 1
    assert verify(bytes(em)) == pk.APG_EAUTH


def test_pss_representative_with_nonzero_extra_byte() -> None:
    """modBits = 8k + 1: EM has k bytes but the representative has k + 1; a
    non-zero top byte must be refused (RFC 8017 8.1.2 step 2c, I2OSP)."""
    k = odd_size_key(2049)
    n, e, d = k
    em_bits = n.bit_length() - 1
    digest = hashlib.sha256(b"pss").digest()
    # Find a salt whose EM, with a 1 byte put on top, stays below n.
    for i in range(200):
        em = pss_encode(digest, bytes([i]) * 32, em_bits, "sha256")
        m = int.from_bytes(em, "big") + (1 << (8 * len(em)))
        if m < n:
            break
    assert m < n
    # Control: the same EM without the extra byte verifies.
    assert pk.rsa_verify_pss(n, e, "sha256", digest, raw_sign(k, em), SALT_HASH_LEN) \
        == pk.APG_OK
    sig = pow(m, d, n).to_bytes((n.bit_length() + 7) // 8, "big")
    assert pk.rsa_verify_pss(n, e, "sha256", digest, sig, SALT_HASH_LEN) == pk.APG_EAUTH


@settings(max_examples=30, deadline=None)
@given(bits=st.sampled_from([2048, 3072, 4096]), hname=st.sampled_from(["sha256", "sha384"]),
       msg=st.binary(max_size=100), flip=st.integers(0, 4095))
def test_cryptography_signatures_verify_here(bits: int, hname: str, msg: bytes,
                                             flip: int) -> None:
    k = key(bits)
    n, e, size = nums(k)
    digest = hashlib.new(hname, msg).digest()
    algo = utils.Prehashed(CRYPTO_HASH[hname])
    v15 = k.sign(digest, padding.PKCS1v15(), algo)
    pss = k.sign(digest, padding.PSS(padding.MGF1(CRYPTO_HASH[hname]),
                                     padding.PSS.DIGEST_LENGTH), algo)
    pss_max = k.sign(digest, padding.PSS(padding.MGF1(CRYPTO_HASH[hname]),
                                         padding.PSS.MAX_LENGTH), algo)
    assert pk.rsa_verify_pkcs1(n, e, hname, digest, v15) == pk.APG_OK
    assert pk.rsa_verify_pss(n, e, hname, digest, pss, SALT_HASH_LEN) == pk.APG_OK
    assert pk.rsa_verify_pss(n, e, hname, digest, pss, SALT_AUTO) == pk.APG_OK
    assert pk.rsa_verify_pss(n, e, hname, digest, pss_max, SALT_AUTO) == pk.APG_OK
    assert pk.rsa_verify_pss(n, e, hname, digest, pss_max, SALT_HASH_LEN) == pk.APG_EAUTH
    # Cross-scheme: a v1.5 signature is no PSS signature and back.
    assert pk.rsa_verify_pss(n, e, hname, digest, v15, SALT_AUTO) == pk.APG_EAUTH
    assert pk.rsa_verify_pkcs1(n, e, hname, digest, pss) == pk.APG_EAUTH
    bit = flip % (8 * size)
    for sig in (v15, pss):
        t = bytearray(sig)
        t[bit // 8] ^= 1 << (bit % 8)
        assert pk.rsa_verify_pkcs1(n, e, hname, digest, bytes(t)) == pk.APG_EAUTH
        assert pk.rsa_verify_pss(n, e, hname, digest, bytes(t), SALT_AUTO) == pk.APG_EAUTH
    bad = bytearray(digest)
    bad[flip % len(bad)] ^= 0x01
    assert pk.rsa_verify_pkcs1(n, e, hname, bytes(bad), v15) == pk.APG_EAUTH
    assert pk.rsa_verify_pss(n, e, hname, bytes(bad), pss, SALT_HASH_LEN) == pk.APG_EAUTH
