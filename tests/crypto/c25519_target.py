"""Shared parts of the on-target tests (Cortex-M3 and RV32 in QEMU).

One C main runs the field multiplication and squaring on operands at the limb
bounds of fe25519.h (all limbs at +max, -max, alternating, zero, and random)
and compares with Python integers, then an X25519 and an Ed25519 known answer
through the whole stack. It reports through bench_puts() and returns the number
of failures; each target supplies those two ends.
"""

from __future__ import annotations

import random

from tests.crypto import c25519_ref

P = c25519_ref.P
LOOSE = [3 * 2**25, 3 * 2**24] * 5

MAIN = r"""
#include <stdint.h>
#include <string.h>
#include "ed25519.h"
#include "fe25519.h"
#include "x25519.h"
#include "cases.h"

void bench_puts(const char *s);

int main(void)
{
    int bad = 0;
    uint8_t out[64];
    fe25519 h;
    for (unsigned i = 0; i < N_CASES; i++) {
        fe25519_mul(h, case_a[i], case_b[i]);
        fe25519_tobytes(out, h);
        bad += memcmp(out, want_mul[i], 32) != 0;
        fe25519_sq(h, case_a[i]);
        fe25519_tobytes(out, h);
        bad += memcmp(out, want_sq[i], 32) != 0;
        /* In place, as the ladder calls it. */
        memcpy(h, case_a[i], sizeof h);
        fe25519_mul(h, h, h);
        fe25519_tobytes(out, h);
        bad += memcmp(out, want_sq[i], 32) != 0;
    }
    bad += crypto_x25519(out, kat_scalar, kat_point) != 0;
    bad += memcmp(out, kat_shared, 32) != 0;
    uint8_t pk[32], sk[64];
    crypto_ed25519_keypair(pk, sk, kat_seed);
    crypto_ed25519_sign(out, sk, kat_msg, sizeof kat_msg);
    bad += memcmp(out, kat_sig, 64) != 0;
    bad += crypto_ed25519_verify(out, pk, kat_msg, sizeof kat_msg) != 0;
    bench_puts(bad ? "FIELD BAD\n" : "FIELD OK\n");
    return bad;
}
"""


def _limbs_c(v: list[int]) -> str:
    return "{" + ", ".join(str(x) for x in v) + "}"


def _bytes_c(b: bytes) -> str:
    return "{" + ", ".join(str(x) for x in b) + "}"


def cases() -> str:
    rng = random.Random(7748)
    pairs: list[tuple[list[int], list[int]]] = []
    shapes = {
        "max": list(LOOSE),
        "min": [-x for x in LOOSE],
        "alt": [x if i % 2 else -x for i, x in enumerate(LOOSE)],
        "zero": [0] * 10,
    }
    for a in shapes.values():
        for b in shapes.values():
            pairs.append((a, b))
    for _ in range(150):
        pairs.append(([rng.randint(-x, x) for x in LOOSE], [rng.randint(-x, x) for x in LOOSE]))
    a_s = ",\n".join(_limbs_c(a) for a, _ in pairs)
    b_s = ",\n".join(_limbs_c(b) for _, b in pairs)
    wm = ",\n".join(_bytes_c((c25519_ref.from_limbs(a) * c25519_ref.from_limbs(b) % P)
                             .to_bytes(32, "little")) for a, b in pairs)
    ws = ",\n".join(_bytes_c((c25519_ref.from_limbs(a) ** 2 % P).to_bytes(32, "little"))
                    for a, _ in pairs)
    # Known answers through the whole stack: RFC 7748 5.2 #1 and RFC 8032 TEST 2.
    scalar = bytes.fromhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")
    point = bytes.fromhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
    shared = bytes.fromhex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")
    seed = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
    msg = bytes.fromhex("72")
    sig = c25519_ref.ed25519_sign(seed, msg)  # RFC 8032 TEST 2, recomputed
    return (
        "#include <stdint.h>\n#include \"fe25519.h\"\n"
        f"#define N_CASES {len(pairs)}u\n"
        f"static const fe25519 case_a[] = {{\n{a_s}}};\n"
        f"static const fe25519 case_b[] = {{\n{b_s}}};\n"
        f"static const uint8_t want_mul[][32] = {{\n{wm}}};\n"
        f"static const uint8_t want_sq[][32] = {{\n{ws}}};\n"
        f"static const uint8_t kat_scalar[32] = {_bytes_c(scalar)};\n"
        f"static const uint8_t kat_point[32] = {_bytes_c(point)};\n"
        f"static const uint8_t kat_shared[32] = {_bytes_c(shared)};\n"
        f"static const uint8_t kat_seed[32] = {_bytes_c(seed)};\n"
        f"static const uint8_t kat_msg[{len(msg)}] = {_bytes_c(msg)};\n"
        f"static const uint8_t kat_sig[64] = {_bytes_c(sig)};\n"
    )
