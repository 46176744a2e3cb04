"""Pure-Python Curve25519 / Edwards25519 arithmetic: the test oracle and table generator.

Written from the definitions in RFC 7748 and RFC 8032 with Python integers, for
clarity rather than speed, and independent of the C code it checks. It also
renders the C source of the precomputed tables in netstack/crypto/ge25519_base.c:

    .venv/bin/python -m tests.crypto.c25519_ref > netstack/crypto/ge25519_base.c

and the tests re-derive those tables from here and compare them with the C data.
"""

from __future__ import annotations

import hashlib

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, -1, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

Point = tuple[int, int]  # affine Edwards (x, y)


def inv(x: int) -> int:
    return pow(x, P - 2, P)


def recover_x(y: int, sign: int) -> int | None:
    """RFC 8032 5.1.3 decoding of x from y and the sign bit; None if invalid."""
    if y >= P:
        return None
    x2 = (y * y - 1) * inv(D * y * y + 1) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


BASE: Point = (recover_x(4 * inv(5) % P, 0) or 0, 4 * inv(5) % P)
IDENTITY: Point = (0, 1)


def add(p: Point, q: Point) -> Point:
    (x1, y1), (x2, y2) = p, q
    t = D * x1 * x2 * y1 * y2 % P
    x3 = (x1 * y2 + y1 * x2) * inv(1 + t) % P
    y3 = (y1 * y2 + x1 * x2) * inv(1 - t) % P
    return x3, y3


def neg(p: Point) -> Point:
    return (-p[0]) % P, p[1]


def mul(k: int, p: Point) -> Point:
    r = IDENTITY
    while k:
        if k & 1:
            r = add(r, p)
        p = add(p, p)
        k >>= 1
    return r


def encode(p: Point) -> bytes:
    x, y = p
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def decode(s: bytes) -> Point | None:
    v = int.from_bytes(s, "little")
    y = v & ((1 << 255) - 1)
    x = recover_x(y, v >> 255)
    return None if x is None else (x, y)


def x25519(k: bytes, u: bytes) -> bytes:
    """RFC 7748 section 5, the ladder exactly as specified."""
    kn = int.from_bytes(k, "little")
    kn &= ~7
    kn &= ~(1 << 255)
    kn |= 1 << 254
    x1 = int.from_bytes(u, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in reversed(range(255)):
        kt = (kn >> t) & 1
        swap ^= kt
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        a, b = (x2 + z2) % P, (x2 - z2) % P
        aa, bb = a * a % P, b * b % P
        e = (aa - bb) % P
        c, d = (x3 + z3) % P, (x3 - z3) % P
        da, cb = d * a % P, c * b % P
        x3 = (da + cb) ** 2 % P
        z3 = x1 * (da - cb) ** 2 % P
        x2 = aa * bb % P
        z2 = e * (aa + 121665 * e) % P
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, "little")


def ed25519_sign(seed: bytes, msg: bytes) -> bytes:
    """RFC 8032 5.1.6, for cross-checking edge cases the C code builds on."""
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    pk = encode(mul(a, BASE))
    r = int.from_bytes(hashlib.sha512(h[32:] + msg).digest(), "little") % L
    rb = encode(mul(r, BASE))
    k = int.from_bytes(hashlib.sha512(rb + pk + msg).digest(), "little") % L
    return rb + ((r + k * a) % L).to_bytes(32, "little")


# --- C limb form (see netstack/crypto/fe25519.h) -------------------------------

OFFSETS = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230]
BITS = [26, 25] * 5


def limbs(v: int) -> list[int]:
    """The canonical value v as ten centred ('carried') signed limbs."""
    v %= P
    h = [(v >> OFFSETS[i]) & ((1 << BITS[i]) - 1) for i in range(10)]
    for _ in range(2):
        for i in range(10):
            b = BITS[i]
            c = (h[i] + (1 << (b - 1))) >> b
            h[i] -= c << b
            if i < 9:
                h[i + 1] += c
            else:
                h[0] += 19 * c
    assert sum(x << o for x, o in zip(h, OFFSETS, strict=True)) % P == v
    return h


def from_limbs(h: list[int]) -> int:
    return sum(x << o for x, o in zip(h, OFFSETS, strict=True)) % P


def niels(p: Point) -> tuple[int, int, int]:
    """(y + x, y - x, 2 d x y): the affine form the mixed addition consumes."""
    x, y = p
    return (y + x) % P, (y - x) % P, 2 * D * x * y % P


def comb_points() -> list[list[Point]]:
    """comb[c][idx] = P3 + sum_{t<3} (+-1) P_t, P_t = 2^(128 c + 32 t) B, where
    bit t of idx set means +P_t (see ge25519_scalarmult_base)."""
    out = []
    for c in range(2):
        pts = [mul(2 ** (128 * c + 32 * t), BASE) for t in range(4)]
        row = []
        for idx in range(8):
            acc = pts[3]
            for t in range(3):
                acc = add(acc, pts[t] if (idx >> t) & 1 else neg(pts[t]))
            row.append(acc)
        out.append(row)
    return out


def odd_multiples(n: int) -> list[Point]:
    """B, 3B, 5B, ..., (2n-1)B for the verification's sliding window."""
    return [mul(2 * i + 1, BASE) for i in range(n)]


BASE_ODD_COUNT = 16


def _fe_c(v: int) -> str:
    return "{" + ", ".join(str(x) for x in limbs(v)) + "}"


def _niels_c(p: Point, indent: str) -> str:
    a, b, c = niels(p)
    return f"{indent}{{{_fe_c(a)},\n{indent} {_fe_c(b)},\n{indent} {_fe_c(c)}}}"


def render_tables() -> str:
    comb = comb_points()
    odd = odd_multiples(BASE_ODD_COUNT)
    lines = [
        "/*",
        " * ge25519_base.c - precomputed multiples of the Ed25519 base point B.",
        " *",
        " * Generated by `python -m tests.crypto.c25519_ref` (tests/crypto/c25519_ref.py)",
        " * from the curve definition; tests/crypto/test_ed25519_tables.py recomputes it",
        " * and compares. Edit the generator, not this file.",
        " */",
        '#include "ge25519.h"',
        "",
        "/* Curve constant d = -121665/121666 and 2d, sqrt(-1) = 2^((p-1)/4). */",
        f"const fe25519 ge25519_d = {_fe_c(D)};",
        f"const fe25519 ge25519_d2 = {_fe_c(2 * D)};",
        f"const fe25519 ge25519_sqrtm1 = {_fe_c(SQRT_M1)};",
        "",
        "/* Signed comb: [c][idx] = P3 + sum_{t<3} (bit t of idx ? +P_t : -P_t),",
        " * P_t = 2^(128 c + 32 t) B.  2 x 8 entries x 120 bytes. */",
        "const ge25519_niels ge25519_comb[2][8] = {",
    ]
    for c in range(2):
        lines.append("    {")
        for idx in range(8):
            lines.append(_niels_c(comb[c][idx], "        ") + ",")
        lines.append("    },")
    lines.append("};")
    lines.append("")
    lines.append(f"/* B, 3B, ..., {2 * BASE_ODD_COUNT - 1}B for the vartime double-scalar "
                 "multiplication. */")
    lines.append(f"const ge25519_niels ge25519_base_odd[{BASE_ODD_COUNT}] = {{")
    for p in odd:
        lines.append(_niels_c(p, "    ") + ",")
    lines.append("};")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_tables(), end="")
