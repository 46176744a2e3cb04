"""RSA private-key operation and RSASSA-PSS signing (netstack/crypto/rsa_private.c,
rsa_sign.c) against independent references: the `cryptography` package verifies
our signatures, and with a fixed salt our output equals a Python EMSA-PSS
encoding (written here from RFC 8017 9.1.1) raised to d mod n. The fault check
is exercised with deliberately wrong CRT values."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cffi
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostc import build_library

CRYPTO = "netstack/crypto"
SOURCES = [f"{CRYPTO}/{n}.c" for n in ("bignum", "rsa", "rsa_verify", "rsa_private", "rsa_sign",
                                         "rsa_hash", "ct", "sha256", "sha512", "hmac", "drbg")]

CDEF = """
typedef int (*crypto_rsa_rng_fn)(void *arg, uint8_t *out, size_t len);
struct crypto_rsa_private_key {
    const uint8_t *n; size_t n_len; const uint8_t *e; size_t e_len;
    const uint8_t *p; size_t p_len; const uint8_t *q; size_t q_len;
    const uint8_t *dp; size_t dp_len; const uint8_t *dq; size_t dq_len;
    const uint8_t *qinv; size_t qinv_len;
};
struct crypto_rsa_private_ctx;
int crypto_rsa_private_init(struct crypto_rsa_private_ctx *ctx,
                            const struct crypto_rsa_private_key *key, crypto_rsa_rng_fn rng,
                            void *rng_arg);
size_t crypto_rsa_private_size(const struct crypto_rsa_private_ctx *ctx);
int crypto_rsa_private(struct crypto_rsa_private_ctx *ctx, uint8_t *out, size_t out_cap,
                       const uint8_t *in, size_t in_len);
void crypto_rsa_private_wipe(struct crypto_rsa_private_ctx *ctx);
int crypto_rsa_private_refresh(struct crypto_rsa_private_ctx *ctx);
int crypto_rsa_pss_sign(struct crypto_rsa_private_ctx *ctx, int hash,
                        const uint8_t *digest, size_t digest_len, uint8_t *sig, size_t sig_cap,
                        size_t *sig_len);
int crypto_rsa_pss_sign_salt(struct crypto_rsa_private_ctx *ctx, int hash,
                             const uint8_t *digest, size_t digest_len, const uint8_t *salt,
                             size_t salt_len, uint8_t *sig, size_t sig_cap, size_t *sig_len);
typedef struct { uint8_t k[32]; uint8_t v[32]; uint32_t reseed_counter; } crypto_hmac_drbg;
int crypto_hmac_drbg_instantiate(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                                 const void *nonce, size_t nonce_len, const void *pers,
                                 size_t pers_len);
int crypto_hmac_drbg_generate(crypto_hmac_drbg *d, uint8_t *out, size_t out_len,
                              const void *additional, size_t additional_len);
int crypto_rsa_rng_drbg(void *arg, uint8_t *out, size_t len);
uint32_t bn_mod_inv(uint32_t *r, const uint32_t *a, const uint32_t *m, size_t n);
void bn_mul(uint32_t *r, const uint32_t *a, size_t an, const uint32_t *b, size_t bn);
"""

APG_OK, APG_EINVAL, APG_EAGAIN, APG_EMSGSIZE, APG_ENOTSUP, APG_ESTATE, APG_EIO = (
    0, -1, -3, -4, -7, -15, -16)
HASH_ID = {"sha256": 0, "sha384": 1, "sha512": 2}
HASH_CLS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
CTX_BYTES = 32768  # more than sizeof(struct crypto_rsa_private_ctx) at 4096 bits


@functools.cache
def lib() -> tuple[cffi.FFI, Any]:
    path = build_library("rsa-sign", SOURCES, include=[CRYPTO])
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    return ffi, ffi.dlopen(str(path))


def _be(x: int, length: int | None = None) -> bytes:
    return x.to_bytes(length or max(1, (x.bit_length() + 7) // 8), "big")


@dataclass
class KeyParts:
    """The key as sdk/keys.py lays it out: CRT values padded to their prime."""

    n: int
    e: int
    p: int
    q: int
    dp: int
    dq: int
    qinv: int

    @classmethod
    def of(cls, key: rsa.RSAPrivateKey) -> KeyParts:
        nums = key.private_numbers()
        pub = nums.public_numbers
        return cls(pub.n, pub.e, nums.p, nums.q, nums.dmp1, nums.dmq1, nums.iqmp)

    def fields(self) -> dict[str, bytes]:
        plen, qlen = (self.p.bit_length() + 7) // 8, (self.q.bit_length() + 7) // 8
        return {"n": _be(self.n), "e": _be(self.e), "p": _be(self.p, plen),
                "q": _be(self.q, qlen), "dp": _be(self.dp, plen), "dq": _be(self.dq, qlen),
                "qinv": _be(self.qinv, plen)}


class Signer:
    """A C context initialised with one key; keeps every buffer C points to alive."""

    def __init__(self, parts: KeyParts, rng: Callable[[int], bytes] = os.urandom) -> None:
        ffi, c = lib()
        self.ffi, self.c = ffi, c
        self._rng = rng
        # A list, not bytes: cffi would add a NUL terminator to a bytes initialiser.
        fields = parts.fields()
        self._bufs = {k: ffi.new("uint8_t[]", list(v)) for k, v in fields.items()}
        self.key = ffi.new("struct crypto_rsa_private_key *")
        for name, buf in self._bufs.items():
            setattr(self.key, name, buf)
            setattr(self.key, f"{name}_len", len(fields[name]))
        self._mem = ffi.new("uint64_t[]", CTX_BYTES // 8)
        self.ctx = ffi.cast("struct crypto_rsa_private_ctx *", self._mem)

        @ffi.callback("int(void *, uint8_t *, size_t)")
        def cb(_arg: Any, out: Any, length: int) -> int:
            ffi.memmove(out, self._rng(length), length)
            return 0

        self._cb = cb
        self.init_rc = c.crypto_rsa_private_init(self.ctx, self.key, cb, ffi.NULL)

    def private(self, x: bytes) -> tuple[int, bytes]:
        out = self.ffi.new("uint8_t[]", 512)
        rc = self.c.crypto_rsa_private(self.ctx, out, 512, x, len(x))
        return rc, bytes(out[0:len(x)])

    def pss(self, hash_name: str, digest: bytes, salt: bytes | None = None,
            fill: int = 0) -> tuple[int, bytes]:
        sig = self.ffi.new("uint8_t[]", [fill] * 512)
        sig_len = self.ffi.new("size_t *")
        if salt is None:
            rc = self.c.crypto_rsa_pss_sign(self.ctx, HASH_ID[hash_name], digest, len(digest),
                                            sig, 512, sig_len)
        else:
            rc = self.c.crypto_rsa_pss_sign_salt(self.ctx, HASH_ID[hash_name], digest,
                                                 len(digest), salt, len(salt), sig, 512,
                                                 sig_len)
        k = self.c.crypto_rsa_private_size(self.ctx) or 512
        assert rc != APG_OK or sig_len[0] == k
        return rc, bytes(sig[0:k])


def py_mgf1(seed: bytes, length: int, hash_name: str) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.new(hash_name, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def py_emsa_pss(digest: bytes, salt: bytes, em_bits: int, hash_name: str) -> bytes:
    """RFC 8017 9.1.1 steps 4-12, independently of the C."""
    hlen = len(digest)
    em_len = (em_bits + 7) // 8
    h = hashlib.new(hash_name, b"\0" * 8 + digest + salt).digest()
    db = b"\0" * (em_len - len(salt) - hlen - 2) + b"\x01" + salt
    masked = bytes(a ^ b for a, b in zip(db, py_mgf1(h, em_len - hlen - 1, hash_name),
                                         strict=True))
    first = masked[0] & (0xFF >> (8 * em_len - em_bits))
    return bytes([first]) + masked[1:] + h + b"\xbc"


def unequal_key() -> rsa.RSAPrivateKey:
    """2049 bits from a 1025-bit and a 1024-bit prime (OpenSSL's primes have
    their top two bits set, so the product has exactly 2049 bits): primes of
    unequal length, and emBits = 2048 a multiple of 8."""
    p = rsa.generate_private_key(65537, 2050).private_numbers().p
    q = rsa.generate_private_key(65537, 2048).private_numbers().q
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()


@pytest.fixture(scope="session")
def rsa_keys() -> dict[int, list[rsa.RSAPrivateKey]]:
    """A few keys per size, made once (key generation is the slow part)."""
    return {bits: [rsa.generate_private_key(65537, bits) for _ in range(2)]
            for bits in (2048, 3072, 4096)}


@functools.cache
def signer_for(key: rsa.RSAPrivateKey) -> Signer:
    s = Signer(KeyParts.of(key))
    assert s.init_rc == APG_OK
    return s


HYP = settings(max_examples=6, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("bits", [2048, 3072, 4096])
@pytest.mark.parametrize("hash_name", ["sha256", "sha384"])
@HYP
@given(msg=st.binary(max_size=200), which=st.integers(0, 1))
def test_pss_signatures_verify_in_cryptography(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]], bits: int, hash_name: str, msg: bytes,
    which: int,
) -> None:
    key = rsa_keys[bits][which]
    digest = hashlib.new(hash_name, msg).digest()
    rc, sig = signer_for(key).pss(hash_name, digest)
    assert rc == APG_OK
    assert len(sig) == bits // 8
    h = HASH_CLS[hash_name]()
    key.public_key().verify(
        sig, digest, padding.PSS(padding.MGF1(HASH_CLS[hash_name]()), padding.PSS.DIGEST_LENGTH),
        utils.Prehashed(h),
    )


def test_sha512_signature_verifies_and_wrong_digest_does_not(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]],
) -> None:
    key = rsa_keys[2048][0]
    digest = hashlib.sha512(b"rsa_pss_rsae_sha512").digest()
    rc, sig = signer_for(key).pss("sha512", digest)
    assert rc == APG_OK
    pss = padding.PSS(padding.MGF1(hashes.SHA512()), padding.PSS.DIGEST_LENGTH)
    key.public_key().verify(sig, digest, pss, utils.Prehashed(hashes.SHA512()))
    other = hashlib.sha512(b"something else").digest()
    with pytest.raises(InvalidSignature):
        key.public_key().verify(sig, other, pss, utils.Prehashed(hashes.SHA512()))


@pytest.mark.parametrize("bits", [2048, 3072, 4096])
@pytest.mark.parametrize("hash_name", ["sha256", "sha384"])
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(msg=st.binary(max_size=100), salt_seed=st.binary(min_size=8, max_size=8))
def test_fixed_salt_equals_python_emsa_pss_and_pow(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]], bits: int, hash_name: str, msg: bytes,
    salt_seed: bytes,
) -> None:
    key = rsa_keys[bits][0]
    nums = key.private_numbers()
    n, d = nums.public_numbers.n, nums.d
    digest = hashlib.new(hash_name, msg).digest()
    salt = hashlib.new(hash_name, salt_seed).digest()
    em = py_emsa_pss(digest, salt, n.bit_length() - 1, hash_name)
    want = pow(int.from_bytes(em, "big"), d, n).to_bytes(bits // 8, "big")
    rc, sig = signer_for(key).pss(hash_name, digest, salt)
    assert rc == APG_OK
    assert sig == want


def test_modulus_with_bits_a_multiple_of_8_plus_1(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]],
) -> None:
    """emBits = modBits - 1 is a multiple of 8 for a 2049-bit modulus: EM is then
    one byte shorter than the modulus (the case RFC 8017 handles with I2OSP)."""
    # OpenSSL's primes have their top two bits set: a 1025-bit prime (from a
    # 2050-bit key) times a 1024-bit one (from rsa_keys) has exactly 2049 bits.
    # The primes then differ in length too.
    p = rsa.generate_private_key(65537, 2050).private_numbers().p
    q = rsa_keys[2048][0].private_numbers().q
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    key = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                rsa.RSAPublicNumbers(e, n)).private_key()
    nums = key.private_numbers()
    assert n.bit_length() == 2049 and p.bit_length() == 1025
    digest = hashlib.sha256(b"odd size").digest()
    salt = bytes(range(32))
    s = Signer(KeyParts.of(key))
    assert s.init_rc == APG_OK
    rc, sig = s.pss("sha256", digest, salt)
    assert rc == APG_OK and len(sig) == 257
    em = py_emsa_pss(digest, salt, 2048, "sha256")
    assert sig == pow(int.from_bytes(em, "big"), nums.d, n).to_bytes(257, "big")
    key.public_key().verify(sig, digest, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                            utils.Prehashed(hashes.SHA256()))


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(x=st.integers(min_value=0))
def test_raw_private_operation_is_pow_d(rsa_keys: dict[int, list[rsa.RSAPrivateKey]],
                                        x: int) -> None:
    key = rsa_keys[2048][1]
    nums = key.private_numbers()
    n = nums.public_numbers.n
    x %= n
    rc, out = signer_for(key).private(x.to_bytes(256, "big"))
    assert rc == APG_OK
    assert int.from_bytes(out, "big") == pow(x, nums.d, n)


def test_blinding_is_refreshed_and_results_stay_right(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]],
) -> None:
    """More operations than APOGEE_CRYPTO_RSA_BLIND_REFRESH (32): the squared
    pairs and the fresh ones all give the right answer; the rng is asked for a
    k-byte blinding value once at init and again after each 32 uses."""
    key = rsa_keys[2048][0]
    nums = key.private_numbers()
    n = nums.public_numbers.n
    asked: list[int] = []

    def rng(length: int) -> bytes:
        asked.append(length)
        return os.urandom(length)

    s = Signer(KeyParts.of(key), rng)
    assert s.init_rc == APG_OK
    for i in range(70):
        x = (i * 0x1234567 + 3) ** 40 % n
        rc, out = s.private(x.to_bytes(256, "big"))
        assert rc == APG_OK and int.from_bytes(out, "big") == pow(x, nums.d, n)
    assert asked == [256, 256, 256]
    # An idle-time refresh draws one more, and the count restarts from it.
    assert s.c.crypto_rsa_private_refresh(s.ctx) == APG_OK
    assert asked == [256, 256, 256, 256]
    for i in range(32):
        x = (i * 0x7654321 + 5) ** 40 % n
        rc, out = s.private(x.to_bytes(256, "big"))
        assert rc == APG_OK and int.from_bytes(out, "big") == pow(x, nums.d, n)
    assert len(asked) == 4


@pytest.mark.parametrize("field", ["dp", "dq", "qinv"])
def test_fault_check_catches_wrong_crt_value_and_wipes_output(
    rsa_keys: dict[int, list[rsa.RSAPrivateKey]], field: str,
) -> None:
    key = rsa_keys[2048][0]
    parts = KeyParts.of(key)
    setattr(parts, field, getattr(parts, field) ^ (1 << 100))
    s = Signer(parts)
    assert s.init_rc == APG_OK  # p q = n still holds: only the signature can tell
    digest = hashlib.sha256(b"faulty").digest()
    rc, sig = s.pss("sha256", digest, fill=0xAA)
    assert rc == APG_EIO
    assert sig == bytes(256)
    rc, out = s.private(b"\x01" * 256)
    assert rc == APG_EIO and out == bytes(256)


def test_good_key_after_bad_one_still_signs(rsa_keys: dict[int, list[rsa.RSAPrivateKey]]) -> None:
    """The check compares with the right value, not just 'something changed'."""
    key = rsa_keys[2048][0]
    rc, sig = Signer(KeyParts.of(key)).pss("sha256", bytes(32), fill=0xAA)
    assert rc == APG_OK and sig != bytes(256)


def test_key_and_argument_errors(rsa_keys: dict[int, list[rsa.RSAPrivateKey]]) -> None:
    key = rsa_keys[2048][0]
    parts = KeyParts.of(key)
    # p q != n: the file mixes two keys.
    other = KeyParts.of(rsa_keys[2048][1])
    mixed = KeyParts(parts.n, parts.e, other.p, other.q, other.dp, other.dq, other.qinv)
    assert Signer(mixed).init_rc == APG_EINVAL
    # 1024-bit keys are refused on policy.
    small = rsa.generate_private_key(65537, 1024)
    assert Signer(KeyParts.of(small)).init_rc == APG_ENOTSUP
    # Even e.
    even = KeyParts(parts.n, 65536, parts.p, parts.q, parts.dp, parts.dq, parts.qinv)
    assert Signer(even).init_rc == APG_EINVAL

    s = signer_for(key)
    assert s.pss("sha256", bytes(31))[0] == APG_EINVAL
    assert s.pss("sha384", bytes(32))[0] == APG_EINVAL
    ffi, c = lib()
    sig = ffi.new("uint8_t[]", 255)
    sig_len = ffi.new("size_t *", 77)
    assert c.crypto_rsa_pss_sign(s.ctx, 0, bytes(32), 32, sig, 255, sig_len) == APG_EMSGSIZE
    assert sig_len[0] == 0
    assert c.crypto_rsa_pss_sign(s.ctx, 7, bytes(32), 32, sig, 255, sig_len) == APG_ENOTSUP
    n = parts.n
    assert s.private(n.to_bytes(256, "big"))[0] == APG_EINVAL  # representative >= n
    assert s.private(bytes(255))[0] == APG_EMSGSIZE
    # A context that was never initialised (or failed to) refuses to sign.
    bad = Signer(mixed)
    assert bad.pss("sha256", bytes(32))[0] == APG_ESTATE


def test_rng_failure_is_passed_back(rsa_keys: dict[int, list[rsa.RSAPrivateKey]]) -> None:
    ffi, c = lib()
    parts = KeyParts.of(rsa_keys[2048][0])
    s = Signer(parts)

    @ffi.callback("int(void *, uint8_t *, size_t)")
    def failing(_arg: Any, _out: Any, _length: int) -> int:
        return -15

    rc = c.crypto_rsa_private_init(s.ctx, s.key, failing, ffi.NULL)
    assert rc == -15
    assert c.crypto_rsa_private_size(s.ctx) == 0

    # A source that fails later: the salt request's error comes back from the
    # signing call and the signature buffer holds nothing.
    calls = []

    def flaky(length: int) -> bytes:
        calls.append(length)
        if len(calls) > 1:
            raise OSError("entropy gone")
        return os.urandom(length)

    s2 = Signer(parts, flaky)
    assert s2.init_rc == APG_OK

    @ffi.callback("int(void *, uint8_t *, size_t)")
    def failing_later(_arg: Any, out: Any, length: int) -> int:
        try:
            ffi.memmove(out, flaky(length), length)
        except OSError:
            return APG_EAGAIN
        return 0

    # (the first call of this source already happened in Signer's own init)
    assert c.crypto_rsa_private_init(s2.ctx, s2.key, failing_later, ffi.NULL) == APG_EAGAIN
    calls.clear()
    assert c.crypto_rsa_private_init(s2.ctx, s2.key, failing_later, ffi.NULL) == APG_OK
    sig = ffi.new("uint8_t[]", [0x55] * 256)
    sig_len = ffi.new("size_t *", 9)
    rc = c.crypto_rsa_pss_sign(s2.ctx, 0, bytes(32), 32, sig, 256, sig_len)
    assert rc == APG_EAGAIN and bytes(sig) == bytes(256) and sig_len[0] == 0
    assert calls == [256, 32]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=1), limbs=st.sampled_from([1, 2, 3, 32]),
       special=st.sampled_from([None, 0, 1, -1, 2, "factor"]))
def test_modular_inverse_matches_python(seed: int, limbs: int, special: object) -> None:
    ffi, c = lib()
    bits = 32 * limbs
    m = (seed * 0x9E3779B97F4A7C15 ** 40) % (1 << bits) | 1 | (1 << (bits - 1))
    a = (seed ** 7 + 12345) % m
    if special == "factor":
        g = 3 if m % 3 == 0 else 5 if m % 5 == 0 else 1
        a = g * (a // g or 1) % m  # shares the factor g with m when there is one
    elif isinstance(special, int):
        a = special % m

    def arr(x: int) -> Any:
        return ffi.new("uint32_t[]", [(x >> (32 * i)) & 0xFFFFFFFF for i in range(limbs)])

    r = ffi.new("uint32_t[]", limbs)
    ok = c.bn_mod_inv(r, arr(a), arr(m), limbs)
    got = sum(r[i] << (32 * i) for i in range(limbs))
    try:
        want: int | None = pow(a, -1, m)
    except ValueError:
        want = None
    assert ok == (want is not None)
    if want is not None:
        assert got == want


def test_drbg_as_random_source(rsa_keys: dict[int, list[rsa.RSAPrivateKey]]) -> None:
    """crypto_rsa_rng_drbg feeds the HMAC-DRBG to the signer: the first k bytes
    blind, the next hash-length bytes are the salt. A second DRBG with the same
    seed predicts that salt, and the signature equals the fixed-salt one."""
    ffi, c = lib()
    key = rsa_keys[2048][1]
    seed = bytes(range(48))
    drbgs = [ffi.new("crypto_hmac_drbg *") for _ in range(2)]
    for d in drbgs:
        assert c.crypto_hmac_drbg_instantiate(d, seed, 48, ffi.NULL, 0, ffi.NULL, 0) == APG_OK
    s = Signer(KeyParts.of(key))
    rc = c.crypto_rsa_private_init(s.ctx, s.key, c.crypto_rsa_rng_drbg, drbgs[0])
    assert rc == APG_OK
    digest = hashlib.sha384(b"drbg").digest()
    rc, sig = s.pss("sha384", digest)
    assert rc == APG_OK
    buf = ffi.new("uint8_t[]", 256)
    assert c.crypto_hmac_drbg_generate(drbgs[1], buf, 256, ffi.NULL, 0) == APG_OK
    salt = ffi.new("uint8_t[]", 48)
    assert c.crypto_hmac_drbg_generate(drbgs[1], salt, 48, ffi.NULL, 0) == APG_OK
    rc, want = signer_for(key).pss("sha384", digest, bytes(salt))
    assert rc == APG_OK and sig == want
    key.public_key().verify(sig, digest, padding.PSS(padding.MGF1(hashes.SHA384()), 48),
                            utils.Prehashed(hashes.SHA384()))


def _nist_pss_vectors() -> list[tuple[int, int, int, str, bytes, bytes, bytes]]:
    """NIST CAVS SigGenPSS (FIPS 186-2, 20-byte salt): (n, e, d, hash, msg,
    salt, S) for the 2048..4096-bit moduli and SHA-256/384/512."""
    import cryptography_vectors

    path = (Path(cryptography_vectors.__file__).parent / "asymmetric" / "RSA" / "FIPS_186-2"
            / "SigGenPSS_186-2.txt")
    out = []
    n = e = d = 0
    rec: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if " = " not in line or line.startswith("#"):
            continue
        key, value = (x.strip() for x in line.split(" = ", 1))
        if key in ("n", "e", "d"):
            n, e, d = (int(value, 16) if key == k else v
                       for k, v in (("n", n), ("e", e), ("d", d)))
            continue
        rec[key] = value
        if key == "S":
            alg = rec["SHAAlg"].lower()
            if n.bit_length() >= 2048 and alg in HASH_ID:
                out.append((n, e, d, alg, bytes.fromhex(rec["Msg"]),
                            bytes.fromhex(rec["SaltVal"]), bytes.fromhex(value)))
            rec = {}
    return out


def test_nist_cavs_pss_signatures() -> None:
    """Published known answers: with the vector's salt, our signature is the
    vector's S, byte for byte (p and q recovered from n, e, d by cryptography)."""
    vectors = _nist_pss_vectors()
    assert {v[0].bit_length() for v in vectors} == {2048, 3072, 4096}
    assert {v[3] for v in vectors} == {"sha256", "sha384", "sha512"}
    signers: dict[int, Signer] = {}
    for n, e, d, alg, msg, salt, want in vectors:
        if n not in signers:
            p, q = rsa.rsa_recover_prime_factors(n, e, d)
            parts = KeyParts(n, e, p, q, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                             rsa.rsa_crt_iqmp(p, q))
            signers[n] = Signer(parts)
            assert signers[n].init_rc == APG_OK
        rc, sig = signers[n].pss(alg, hashlib.new(alg, msg).digest(), salt)
        assert rc == APG_OK
        assert sig == want, (n.bit_length(), alg, msg.hex()[:16])
