"""The field GF(2^255-19) and the scalars mod L, against Python integers.

The limb bounds in fe25519.h are the contract that keeps the 64-bit column sums
from overflowing; these tests feed mul and sq inputs at (and just inside) the
documented "loose" extremes, with every sign pattern class, and compare the
canonical result with Python's exact arithmetic.
"""

from __future__ import annotations

import os
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto import c25519_ref as ref
from tests.crypto.c25519_lib import load

P = ref.P
L = ref.L
# "loose" bound of fe25519.h: three carried values, |limb| <= 1.5 * 2^26 / 2^25.
LOOSE = [3 * 2**25, 3 * 2**24] * 5


def fe(ffi, h: list[int]):  # noqa: ANN001, ANN201 - cffi objects
    return ffi.new("fe25519", h)


def value(ffi, lib, h) -> int:  # noqa: ANN001
    out = ffi.new("uint8_t[32]")
    lib.fe25519_tobytes(out, h)
    b = bytes(out)
    v = int.from_bytes(b, "little")
    assert v < P, "tobytes must be canonical"
    return v


def loose_limbs(rng: random.Random, mode: str) -> list[int]:
    if mode == "max":
        return list(LOOSE)
    if mode == "min":
        return [-x for x in LOOSE]
    if mode == "alt":
        return [x if i % 2 else -x for i, x in enumerate(LOOSE)]
    return [rng.randint(-x, x) for x in LOOSE]


def test_mul_sq_at_the_loose_bounds() -> None:
    ffi, lib = load()
    rng = random.Random(25519)
    modes = ["max", "min", "alt", "rand"]
    for ma in modes:
        for mb in modes:
            for _ in range(1 if ma != "rand" and mb != "rand" else 200):
                a, b = loose_limbs(rng, ma), loose_limbs(rng, mb)
                av, bv = ref.from_limbs(a), ref.from_limbs(b)
                h = ffi.new("fe25519")
                lib.fe25519_mul(h, fe(ffi, a), fe(ffi, b))
                assert value(ffi, lib, h) == av * bv % P
                # Outputs are carried: at most a little over 2^25 / 2^24.
                assert all(abs(x) <= (2**25 if i % 2 == 0 else 2**24) * 1.01
                           for i, x in enumerate(h))
                lib.fe25519_sq(h, fe(ffi, a))
                assert value(ffi, lib, h) == av * av % P
                lib.fe25519_mul_small(h, fe(ffi, a), 121665)
                assert value(ffi, lib, h) == av * 121665 % P


def test_carry_and_tobytes_of_extremes() -> None:
    ffi, lib = load()
    rng = random.Random(7)
    for _ in range(500):
        h = [rng.randint(-(2**29), 2**29) for _ in range(10)]
        want = ref.from_limbs(h)
        c = fe(ffi, h)
        lib.fe25519_carry(c)
        assert ref.from_limbs(list(c)) == want
        assert value(ffi, lib, c) == want


def test_frombytes_tobytes_round_trip() -> None:
    ffi, lib = load()
    cases = [0, 1, 2, P - 2, P - 1, P, P + 1, 2**255 - 1, 2**254, 19, 2**255 - 20]
    cases += [int.from_bytes(os.urandom(32), "little") for _ in range(300)]
    for v in cases:
        h = ffi.new("fe25519")
        lib.fe25519_frombytes(h, v.to_bytes(32, "little"))
        # Bit 255 is ignored; values >= p act as their residue.
        assert value(ffi, lib, h) == (v & (2**255 - 1)) % P
        assert lib.fe25519_iszero(h) == int((v & (2**255 - 1)) % P == 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=P - 1))
def test_invert_and_pow22523(v: int) -> None:
    ffi, lib = load()
    h = ffi.new("fe25519", ref.limbs(v))
    out = ffi.new("fe25519")
    lib.fe25519_invert(out, h)
    assert value(ffi, lib, out) == (pow(v, P - 2, P))
    lib.fe25519_pow22523(out, h)
    assert value(ffi, lib, out) == pow(v, (P - 5) // 8, P)


def _sc(lib, ffi, fn: str, *args: bytes) -> int:  # noqa: ANN001
    out = ffi.new("uint8_t[32]")
    getattr(lib, fn)(out, *args)
    return int.from_bytes(bytes(out), "little")


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=64, max_size=64))
def test_sc_reduce64(x: bytes) -> None:
    ffi, lib = load()
    assert _sc(lib, ffi, "sc25519_reduce64", x) == int.from_bytes(x, "little") % L


def test_sc_extremes() -> None:
    ffi, lib = load()
    for v in (0, 1, L - 1, L, L + 1, 2 * L, 3 * L - 1, 2**512 - 1, 2**256 - 1, L * (2**259)):
        if v < 2**512:
            assert _sc(lib, ffi, "sc25519_reduce64", v.to_bytes(64, "little")) == v % L
    top = (2**256 - 1).to_bytes(32, "little")
    assert _sc(lib, ffi, "sc25519_muladd", top, top, top) == ((2**256 - 1) ** 2 + 2**256 - 1) % L


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32),
       st.binary(min_size=32, max_size=32))
def test_sc_muladd(a: bytes, b: bytes, c: bytes) -> None:
    ffi, lib = load()
    ai, bi, ci = (int.from_bytes(x, "little") for x in (a, b, c))
    assert _sc(lib, ffi, "sc25519_muladd", a, b, c) == (ai * bi + ci) % L


def test_sc_is_canonical() -> None:
    _, lib = load()
    for v in (0, 1, L - 1, L, L + 1, 2**253, 2**256 - 1):
        assert lib.sc25519_is_canonical(v.to_bytes(32, "little")) == int(v < L)
