"""Generator of netstack/crypto/fe25519_armv7m.c: GF(2^255-19) mul and sq in
ARMv7-M (Cortex-M3/M4/M7) Thumb-2 assembly.

    .venv/bin/python -m tests.crypto.c25519_asm > netstack/crypto/fe25519_armv7m.c

The arithmetic is exactly that of the C in fe25519.c (same limbs, same column
sums, same rounding carries, same bounds); only the schedule differs: the ten
limbs of f live in r3-r12 for the whole product, every multiple of g (or of f
for squaring) the columns need is computed once into a stack table, so each
product costs one load and one SMLAL, and the carry of a column starts the next
column's accumulator. Straight-line code: no branch and no data-dependent
address anywhere, so it is as constant-time as the core's multiplier.

The tests check that the file is what this script prints, and run it on
Cortex-M3 in QEMU against Python integers (tests/crypto/test_x25519_armv7m.py).
"""

from __future__ import annotations

FREGS = [f"r{i}" for i in range(3, 13)]  # f0..f9
ACC_LO, ACC_HI, TMP, OUT = "r1", "r2", "lr", "r0"
BITS = [26, 25] * 5


def odd(i: int) -> bool:
    return i % 2 == 1


def carry(k: int) -> list[str]:
    """Finish column k: store the centred limb, leave the carry in the accumulator."""
    b = BITS[k]
    return [
        f"adds {ACC_LO}, {ACC_LO}, #{1 << (b - 1)}",
        f"adc {ACC_HI}, {ACC_HI}, #0",
        f"ubfx {TMP}, {ACC_LO}, #0, #{b}",
        f"sub {TMP}, {TMP}, #{1 << (b - 1)}",
        f"str {TMP}, [{OUT}, #{4 * k}]",
        f"lsr {ACC_LO}, {ACC_LO}, #{b}",
        f"orr {ACC_LO}, {ACC_LO}, {ACC_HI}, lsl #{32 - b}",
        f"asr {ACC_HI}, {ACC_HI}, #{b}",
    ]


def finish() -> list[str]:
    """Fold the carry out of limb 9 (weight 2^255 = 19) into limbs 0 and 1."""
    return [
        f"ldr r3, [{OUT}, #0]",
        "movs r4, #19",
        f"umull r5, r6, {ACC_LO}, r4",
        f"mla r6, {ACC_HI}, r4, r6",
        "adds r5, r5, r3",
        "adc r6, r6, r3, asr #31",
        "adds r5, r5, #33554432",
        "adc r6, r6, #0",
        "ubfx r7, r5, #0, #26",
        "sub r7, r7, #33554432",
        f"str r7, [{OUT}, #0]",
        "lsr r5, r5, #26",
        "orr r5, r5, r6, lsl #6",
        f"ldr r8, [{OUT}, #4]",
        "add r8, r8, r5",
        f"str r8, [{OUT}, #4]",
    ]


def mul_asm() -> list[str]:
    # Stack table, words: [0..9] g, [10..19] 2g (odd j), [20..29] 19g, [30..39] 38g (odd j).
    code = [
        "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}",
        "sub sp, sp, #160",
        "ldm r2, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "stm sp, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        *[f"lsl {FREGS[j]}, {FREGS[j]}, #1" for j in range(1, 10, 2)],
        "add lr, sp, #40",
        "stm lr, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "movs r2, #19",
        *[f"mul {r}, {r}, r2" for r in FREGS],           # even: 19g, odd: 38g
        "add lr, sp, #120",
        "stm lr, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        *[f"asr {FREGS[j]}, {FREGS[j]}, #1" for j in range(1, 10, 2)],  # odd: 19g
        "add lr, sp, #80",
        "stm lr, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "ldm r1, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
    ]
    for k in range(10):
        for n, i in enumerate(range(10)):
            j = (k - i) % 10
            wrap, two = i > k, odd(i) and odd(j)
            slot = (30 if wrap and two else 20 if wrap else 10 if two else 0) + j
            code.append(f"ldr {TMP}, [sp, #{4 * slot}]")
            op = "smull" if k == 0 and n == 0 else "smlal"
            code.append(f"{op} {ACC_LO}, {ACC_HI}, {FREGS[i]}, {TMP}")
        code += carry(k)
    code += finish()
    code += ["add sp, sp, #160", "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}"]
    return code


def sq_terms(k: int) -> list[tuple[int, int, int]]:
    """(i, j, coefficient) with i <= j, i + j = k (mod 10)."""
    out = []
    for i in range(10):
        for j in range(i, 10):
            if (i + j) % 10 == k:
                coef = (1 if i == j else 2) * (2 if odd(i) and odd(j) else 1)
                coef *= 19 if i + j >= 10 else 1
                out.append((i, j, coef))
    return out


def sq_asm() -> list[str]:
    # Stack table, words: [0..9] 4f (odd j), [10..19] 19f (even j) / 38f (odd j).
    code = [
        "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}",
        "sub sp, sp, #80",
        "ldm r1, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        *[f"lsl {FREGS[j]}, {FREGS[j]}, #2" for j in range(1, 10, 2)],
        "stm sp, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "ldm r1, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "movs r2, #19",
        *[f"mul {r}, {r}, r2" for r in FREGS],
        *[f"lsl {FREGS[j]}, {FREGS[j]}, #1" for j in range(1, 10, 2)],
        "add lr, sp, #40",
        "stm lr, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
        "ldm r1, {r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}",
    ]
    first = True

    def mla(a: str, b: str) -> None:
        nonlocal first
        code.append(f"{'smull' if first else 'smlal'} {ACC_LO}, {ACC_HI}, {a}, {b}")
        first = False

    def load(slot: int) -> str:
        code.append(f"ldr {TMP}, [sp, #{4 * slot}]")
        return TMP

    for k in range(10):
        for i, j, coef in sq_terms(k):
            fi, fj = FREGS[i], FREGS[j]
            if coef == 1:
                mla(fi, fj)
            elif coef == 2:
                mla(fi, fj)
                mla(fi, fj)
            elif coef == 4:                       # both odd: 4 f_j is a table entry
                mla(fi, load(j))
            elif coef == 19:                      # i = j even
                mla(fi, load(10 + j))
            elif coef == 38:
                if i == j:                        # odd: 38 f_j
                    mla(fi, load(10 + j))
                elif odd(j):
                    mla(fi, load(10 + j))
                elif odd(i):
                    mla(fj, load(10 + i))
                else:                             # both even: 19 f_j twice
                    t = load(10 + j)
                    mla(fi, t)
                    mla(fi, t)
            elif coef == 76:                      # both odd: 38 f_j twice
                t = load(10 + j)
                mla(fi, t)
                mla(fi, t)
            else:
                raise AssertionError(coef)
        code += carry(k)
    code += finish()
    code += ["add sp, sp, #80", "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}"]
    return code


def _body(code: list[str]) -> str:
    return "\n".join(f'        "{line}\\n"' for line in code)


def render() -> str:
    mul, sq = mul_asm(), sq_asm()
    return f"""/*
 * fe25519_armv7m.c - fe25519_mul and fe25519_sq in ARMv7-M assembly (Cortex-M3,
 * M4, M7), used instead of the C versions in fe25519.c when compiling for
 * those cores (unless CRYPTO_FE25519_NO_ASM is defined).
 *
 * Generated by `python -m tests.crypto.c25519_asm` (tests/crypto/c25519_asm.py),
 * which documents the schedule; tests/crypto/test_x25519_armv7m.py checks this
 * file is current and runs it on Cortex-M3 in QEMU against Python integers.
 * Same representation, same bounds and same results as the C: see fe25519.h.
 * Straight-line code, no secret-dependent branch or address. {len(mul)} and
 * {len(sq)} instructions; 196 and 116 bytes of stack.
 */
#include "fe25519.h"

#if FE25519_USE_ARMV7M_ASM

/* The arguments arrive in r0-r2 per the AAPCS; the C names are never read. */
#define ARG __attribute__((unused))

__attribute__((naked)) void fe25519_mul(ARG fe25519 h, ARG const fe25519 f, ARG const fe25519 g)
{{
    __asm__ volatile(
{_body(mul)}
    );
}}

__attribute__((naked)) void fe25519_sq(ARG fe25519 h, ARG const fe25519 f)
{{
    __asm__ volatile(
{_body(sq)}
    );
}}

#else
/* ISO C forbids an empty translation unit. */
typedef int fe25519_armv7m_unused;
#endif
"""


if __name__ == "__main__":
    print(render(), end="")
