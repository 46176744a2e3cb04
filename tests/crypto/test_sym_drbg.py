"""HMAC_DRBG (SHA-256): NIST CAVP vectors, and differential tests against a
reference written in Python from SP 800-90A section 10.1.2 on top of the
standard library's hmac (independent of our C HMAC).

The `cryptography-vectors` package ships no DRBG vectors, so the few CAVP
(drbgvectors, HMAC_DRBG.rsp, [SHA-256]) records used are written out below.
"""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.sym_lib import APG_EINVAL, APG_ESTATE, APG_OK, buf, load


class RefHmacDrbg:
    """SP 800-90A HMAC_DRBG, SHA-256, straight from the pseudocode."""

    def __init__(self, entropy: bytes, nonce: bytes, pers: bytes) -> None:
        self.k = bytes(32)
        self.v = b"\x01" * 32
        self._update(entropy + nonce + pers)
        self.counter = 1

    def _mac(self, data: bytes) -> bytes:
        return hmac.new(self.k, data, hashlib.sha256).digest()

    def _update(self, provided: bytes) -> None:
        self.k = self._mac(self.v + b"\x00" + provided)
        self.v = self._mac(self.v)
        if provided:
            self.k = self._mac(self.v + b"\x01" + provided)
            self.v = self._mac(self.v)

    def reseed(self, entropy: bytes, additional: bytes) -> None:
        self._update(entropy + additional)
        self.counter = 1

    def generate(self, n: int, additional: bytes) -> bytes:
        if additional:
            self._update(additional)
        out = b""
        while len(out) < n:
            self.v = self._mac(self.v)
            out += self.v
        self._update(additional)
        self.counter += 1
        return out[:n]


class CDrbg:
    def __init__(self) -> None:
        self.ffi, self.lib = load()
        self.d = self.ffi.new("crypto_hmac_drbg *")

    def instantiate(self, entropy: bytes, nonce: bytes, pers: bytes) -> int:
        f = self.ffi
        return self.lib.crypto_hmac_drbg_instantiate(self.d, buf(f, entropy), len(entropy),
                                                     buf(f, nonce), len(nonce), buf(f, pers),
                                                     len(pers))

    def reseed(self, entropy: bytes, additional: bytes) -> int:
        f = self.ffi
        return self.lib.crypto_hmac_drbg_reseed(self.d, buf(f, entropy), len(entropy),
                                                buf(f, additional), len(additional))

    def generate(self, n: int, additional: bytes) -> tuple[int, bytes]:
        out = self.ffi.new(f"uint8_t[{n + 1}]")
        rc = self.lib.crypto_hmac_drbg_generate(self.d, out, n, buf(self.ffi, additional),
                                                len(additional))
        assert out[n] == 0
        return rc, bytes(out)[:n]

    def state(self) -> tuple[str, str]:
        return bytes(self.d.v).hex(), bytes(self.d.k).hex()


def h(s: str) -> bytes:
    return bytes.fromhex(s)


def test_cavp_with_reseed_and_internal_state() -> None:
    # HMAC_DRBG.rsp (with reseed), [SHA-256], PR False, 256/128/0/0, 1024 bits, COUNT 0,
    # including the intermediate V and Key the CAVP file lists.
    d = CDrbg()
    assert d.instantiate(h("06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d"),
                         h("0e66f71edc43e42a45ad3c6fc6cdc4df"), b"") == APG_OK
    assert d.state() == ("81e0d8830ed2d16f9b288a1cb289c5fab3f3c5c28131be7cafedcc7734604d34",
                         "17dc11c2389f5eeb9d0f6a5148a1ea83ee8a828f4f140ac78272a0da435fa121")
    assert d.reseed(h("01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552"),
                    b"") == APG_OK
    assert d.state() == ("c246fa97570ba2b9d9e5b453fe4632366f146fbd8491146563eb463c9eafe50c",
                         "ca43e73325de43c41d7e0a7a3163fb04061b09fcee4c7b8884e969e3bdfdff9a")
    assert d.generate(128, b"")[0] == APG_OK
    assert d.state() == ("df67d0816d6a8f3b73ba7638ea113bef0e33a1da451272ef1472211fb31c1cd6",
                         "8be4c7f9f249d5af2c6345a8f07af14be1d7adc2b9892286ffe37760d8aa5a1b")
    rc, out = d.generate(128, b"")
    assert rc == APG_OK
    assert out.hex() == (
        "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208cd50"
        "6cb28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de914eac"
        "2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f5885935124")
    assert d.state() == ("80524881711e89a61e6fe7169581e50fb9ad642f3dff48fba5773352fa04cec3",
                         "5ed31bc06cc4f3a97f7f34929b0558b0c34de1f4bd1cef456a8364140e2d9f41")


def test_prediction_resistance_pattern() -> None:
    """Prediction resistance = reseed with fresh entropy and the additional input
    before each generate (record from the PR file as BoringSSL's tests use it)."""
    d = CDrbg()
    assert d.instantiate(h("6c1f4bffc476e488fb57eb80dc106cf2b417bad22b196baa6346958256db490f"),
                         h("5f1b92223e3909e43677da2f588a6d19"), b"") == APG_OK
    assert d.reseed(h("abaca65695bd5d289880453850fc8289b76f78b43f970ed32f4125a941165515"),
                    h("e6cd940610375e504fa80406120b34d498b022393436e910c0ba2560603fd066")) == 0
    assert d.generate(32, b"")[0] == APG_OK
    assert d.reseed(h("4a39b666cf861816d7d82ef6e23f70f149d74d9bd499eea19b622e751c43d839"),
                    h("d20082c5bdf6f6711af391e7d01046b9d3610827de63aa2671a5f5ad07b90841")) == 0
    rc, out = d.generate(32, b"")
    assert rc == APG_OK
    assert out.hex() == "d3c36e4ae25ff21a95a157a89f13eb976362a695ea755f0465ed4a7bb20c5cb3"


small = st.binary(max_size=70)


@settings(max_examples=100, deadline=None)
@given(entropy=st.binary(min_size=32, max_size=64), nonce=st.binary(min_size=16, max_size=32),
       pers=small, steps=st.lists(st.tuples(st.booleans(), st.binary(min_size=32, max_size=40),
                                            small, st.integers(0, 300)), max_size=5))
def test_matches_reference(entropy: bytes, nonce: bytes, pers: bytes,
                           steps: list[tuple[bool, bytes, bytes, int]]) -> None:
    ref, d = RefHmacDrbg(entropy, nonce, pers), CDrbg()
    assert d.instantiate(entropy, nonce, pers) == APG_OK
    for reseed, ent, add, n in steps:
        if reseed:
            ref.reseed(ent, add)
            assert d.reseed(ent, add) == APG_OK
        want = ref.generate(n, add)
        assert d.generate(n, add) == (APG_OK, want)
        assert d.d.reseed_counter == ref.counter


def test_limits_and_states() -> None:
    d = CDrbg()
    assert d.generate(16, b"")[0] == APG_ESTATE  # never instantiated (zeroed struct)
    assert d.reseed(bytes(32), b"") == APG_ESTATE
    assert d.instantiate(bytes(31), bytes(17), b"") == APG_EINVAL
    assert d.instantiate(bytes(32), bytes(15), b"") == APG_EINVAL
    assert d.instantiate(bytes(48), b"", b"") == APG_OK  # nonce folded into the entropy
    assert d.reseed(bytes(31), b"") == APG_EINVAL
    assert d.generate(65537, b"")[0] == APG_EINVAL
    assert d.generate(65536, b"")[0] == APG_OK
    d.d.reseed_counter = 100000  # the default APOGEE_CRYPTO_DRBG_RESEED_INTERVAL
    assert d.generate(1, b"")[0] == APG_OK
    assert d.generate(1, b"") == (APG_ESTATE, b"\x00")
    assert d.reseed(bytes(32), b"") == APG_OK
    assert d.generate(1, b"")[0] == APG_OK
    d.lib.crypto_hmac_drbg_uninstantiate(d.d)
    assert bytes(d.ffi.buffer(d.d)) == bytes(d.ffi.sizeof("crypto_hmac_drbg"))
    assert d.generate(1, b"")[0] == APG_ESTATE
