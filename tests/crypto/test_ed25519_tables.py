"""The precomputed tables in netstack/crypto/ge25519_base.c, recomputed.

The C data is read from the built library and compared with c25519_ref, which
derives every entry from the curve definition; the generated source text must
also be exactly what the generator prints (so nobody edits it by hand).
"""

from __future__ import annotations

import os

from tests.crypto import c25519_ref as ref
from tests.crypto.c25519_lib import load
from tests.hostc import ROOT


def _fe(x) -> int:  # noqa: ANN001 - cffi array
    return ref.from_limbs(list(x))


def test_constants() -> None:
    _, lib = load()
    assert _fe(lib.ge25519_d) == ref.D
    assert _fe(lib.ge25519_d2) == 2 * ref.D % ref.P
    assert _fe(lib.ge25519_sqrtm1) ** 2 % ref.P == ref.P - 1


def test_comb_and_odd_multiples() -> None:
    _, lib = load()
    comb = ref.comb_points()
    for c in range(2):
        for idx in range(8):
            e = lib.ge25519_comb[c][idx]
            assert (_fe(e.ypx), _fe(e.ymx), _fe(e.xy2d)) == ref.niels(comb[c][idx])
    for i, pt in enumerate(ref.odd_multiples(ref.BASE_ODD_COUNT)):
        e = lib.ge25519_base_odd[i]
        assert (_fe(e.ypx), _fe(e.ymx), _fe(e.xy2d)) == ref.niels(pt)


def test_generated_source_is_current() -> None:
    src = (ROOT / "netstack" / "crypto" / "ge25519_base.c").read_text()
    assert src == ref.render_tables()


def test_scalarmult_base_against_reference() -> None:
    ffi, lib = load()
    L = ref.L
    for k in [0, 1, 2, 3, L - 1, L, L + 1, 2**255 - 1, 2**256 - 1,
              *(int.from_bytes(os.urandom(32), "little") for _ in range(20))]:
        p = ffi.new("ge25519_p3 *")
        lib.ge25519_scalarmult_base(p, k.to_bytes(32, "little"))
        out = ffi.new("uint8_t[32]")
        lib.ge25519_p3_tobytes(out, p)
        assert bytes(out) == ref.encode(ref.mul(k % L, ref.BASE)), hex(k)


def test_point_decoding_matches_rfc8032_rules() -> None:
    ffi, lib = load()
    cases = [y | s for y in (*range(0, 40), *range(ref.P - 20, 2**255))
             for s in (0, 1 << 255)]
    cases += [int.from_bytes(os.urandom(32), "little") for _ in range(200)]
    for v in cases:
        b = v.to_bytes(32, "little")
        p = ffi.new("ge25519_p3 *")
        ok = lib.ge25519_frombytes_vartime(p, b) == 0
        want = ref.decode(b)
        assert ok == (want is not None), b.hex()
        if ok:
            out = ffi.new("uint8_t[32]")
            lib.ge25519_p3_tobytes(out, p)
            assert bytes(out) == b  # canonical encodings round-trip
