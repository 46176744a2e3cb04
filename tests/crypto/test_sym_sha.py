"""SHA-256, SHA-384, SHA-512: NIST CAVP vectors and differential tests against hashlib."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.sym_lib import buf, load, parse_rsp, vectors_dir

# name -> (C one-shot, init, update, final, digest size, hashlib name)
ALGS = {
    "SHA256": ("crypto_sha256", "crypto_sha256_init", "crypto_sha256_update",
               "crypto_sha256_final", 32, "sha256", "crypto_sha256_ctx *"),
    "SHA384": ("crypto_sha384", "crypto_sha384_init", "crypto_sha384_update",
               "crypto_sha384_final", 48, "sha384", "crypto_sha512_ctx *"),
    "SHA512": ("crypto_sha512", "crypto_sha512_init", "crypto_sha512_update",
               "crypto_sha512_final", 64, "sha512", "crypto_sha512_ctx *"),
}


def one_shot(alg: str, data: bytes) -> bytes:
    ffi, lib = load()
    fn, _, _, _, size, _, _ = ALGS[alg]
    out = ffi.new(f"uint8_t[{size}]")
    getattr(lib, fn)(buf(ffi, data), len(data), out)
    return bytes(out)


def streamed(alg: str, chunks: list[bytes]) -> bytes:
    ffi, lib = load()
    _, init, update, final, size, _, ctype = ALGS[alg]
    ctx = ffi.new(ctype)
    getattr(lib, init)(ctx)
    for c in chunks:
        getattr(lib, update)(ctx, buf(ffi, c), len(c))
    out = ffi.new(f"uint8_t[{size}]")
    getattr(lib, final)(ctx, out)
    # final() wipes the context: no chaining state is left behind.
    assert bytes(ffi.buffer(ctx)) == bytes(ffi.sizeof(ctx[0]))
    return bytes(out)


@pytest.mark.parametrize("alg", sorted(ALGS))
@pytest.mark.parametrize("kind", ["ShortMsg", "LongMsg"])
def test_nist_cavp(alg: str, kind: str) -> None:
    records = parse_rsp(vectors_dir() / "hashes" / "SHA2" / f"{alg}{kind}.rsp")
    records = [r for r in records if "MD" in r]
    assert len(records) > 60
    for r in records:
        bits = int(r["Len"])
        msg = bytes.fromhex(r["Msg"])[: bits // 8]
        assert one_shot(alg, msg).hex() == r["MD"], f"{alg} Len={bits}"


@pytest.mark.parametrize("alg", sorted(ALGS))
def test_nist_monte_carlo(alg: str) -> None:
    """The CAVP Monte Carlo test: 100 checkpoints of 1000 chained hashes each."""
    records = parse_rsp(vectors_dir() / "hashes" / "SHA2" / f"{alg}Monte.rsp")
    seed = bytes.fromhex(next(r["Seed"] for r in records if "Seed" in r))
    expected = {int(r["COUNT"]): r["MD"] for r in records if "MD" in r}
    assert len(expected) == 100
    for j in range(100):
        md = [seed, seed, seed]
        for _ in range(1000):
            md.append(one_shot(alg, md[-3] + md[-2] + md[-1]))
            del md[0]
        seed = md[-1]
        assert seed.hex() == expected[j], f"{alg} checkpoint {j}"


@pytest.mark.parametrize("alg", sorted(ALGS))
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=700), cuts=st.lists(st.integers(0, 700), max_size=6))
def test_matches_hashlib(alg: str, data: bytes, cuts: list[int]) -> None:
    want = hashlib.new(ALGS[alg][5], data).digest()
    assert one_shot(alg, data) == want
    bounds = sorted({0, len(data), *[min(c, len(data)) for c in cuts]})
    chunks = [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    chunks.insert(len(chunks) // 2, b"")  # an empty update in the middle is a no-op
    assert streamed(alg, chunks) == want


@pytest.mark.parametrize("alg", sorted(ALGS))
def test_padding_boundaries(alg: str) -> None:
    """Every length around one and two blocks, where the length field spills."""
    block = 64 if alg == "SHA256" else 128
    for n in range(0, 2 * block + 2):
        data = bytes((i * 7 + n) & 0xFF for i in range(n))
        assert one_shot(alg, data) == hashlib.new(ALGS[alg][5], data).digest(), n
