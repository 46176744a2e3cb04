/*
 * fe25519.h - arithmetic in GF(p), p = 2^255 - 19: the field under X25519 and
 * Ed25519. Internal to netstack/crypto; applications use x25519.h and ed25519.h.
 *
 * Representation: ten signed 32-bit limbs in radix 2^25.5, limb i weighing
 * 2^ceil(25.5 i) (26-bit limbs at even i, 25-bit at odd i), so the value is
 *     h0 + h1 2^26 + h2 2^51 + h3 2^77 + ... + h9 2^230   (mod p).
 * The radix leaves 6-7 spare bits per limb, which lets additions skip carries and
 * lets a 32x32->64 multiply-accumulate (one SMLAL on Cortex-M3, a MUL+MULH pair
 * on RV32) sum ten products per output limb without overflow: no 64x64
 * multiplications and no add-with-carry chains, which C cannot express well.
 *
 * Bounds, the contract every function below keeps:
 *   "carried"  |h_i| <= 2^25 (even i) and 2^24 (odd i), plus a little. Outputs of
 *              mul, sq, mul_small, carry, frombytes and the constants.
 *   "loose"    the sum or difference of at most THREE carried values (with any
 *              signs), |h_i| <= 1.5 * 2^26 / 2^25. add, sub and neg do no carry,
 *              so their result is loose when the inputs are carried (or when a
 *              loose value of two terms gets one more carried term).
 * mul and sq accept loose inputs. The proof: the pre-multiplied limbs fit 31
 * bits (19 * 1.5 * 2^26 and 38 * 1.5 * 2^25 are both under 2^30.9), and ten
 * products of at most 2^57.4 each, plus a carry, stay below 2^63. Anything
 * looser must go through fe25519_carry first; tests/crypto/test_x25519_field.py
 * multiplies operands with every limb at the loose extremes.
 *
 * Every function here runs in time independent of the values (no branches or
 * memory indexes that depend on limbs), except where the name says vartime.
 * Outputs may alias inputs everywhere.
 */
#ifndef CRYPTO_FE25519_H
#define CRYPTO_FE25519_H

#include <stdint.h>

typedef int32_t fe25519[10];

/* On ARMv7-M (Cortex-M3/M4/M7) fe25519_mul and fe25519_sq come from the
 * generated assembly in fe25519_armv7m.c (about 25% fewer instructions than
 * gcc -Os makes of the C); elsewhere, or with CRYPTO_FE25519_NO_ASM, from C. */
#if !defined(CRYPTO_FE25519_NO_ASM) && defined(__GNUC__) && defined(__thumb2__) \
    && (defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__))
#define FE25519_USE_ARMV7M_ASM 1
#else
#define FE25519_USE_ARMV7M_ASM 0
#endif

void fe25519_0(fe25519 h);
void fe25519_1(fe25519 h);
void fe25519_copy(fe25519 h, const fe25519 f);

/* h = f + g, h = f - g, h = -f: limb-wise, no carry (see "loose" above). */
void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_neg(fe25519 h, const fe25519 f);
/* s = f + g and d = f - g in one pass (the ladder needs both); any aliasing. */
void fe25519_addsub(fe25519 s, fe25519 d, const fe25519 f, const fe25519 g);

/* Bring |limbs| that fit in 30 bits back to the carried bound. */
void fe25519_carry(fe25519 h);

/* h = f * g, h = f^2, h = 2 f^2; inputs loose, output carried. */
void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_sq(fe25519 h, const fe25519 f);
/* h = f^(2^n), n >= 1 (n is public). */
void fe25519_sqn(fe25519 h, const fe25519 f, unsigned n);
/* h = f * n for 0 <= n < 2^17 (the curve constant 121665 and friends). */
void fe25519_mul_small(fe25519 h, const fe25519 f, uint32_t n);

/* h = 1/f = f^(p-2); 0 maps to 0. 254 squarings + 11 multiplications. */
void fe25519_invert(fe25519 h, const fe25519 f);
/* h = f^((p-5)/8) = f^(2^252 - 3), the core of the square root. */
void fe25519_pow22523(fe25519 h, const fe25519 f);

/* Constant-time moves on a public-shape, secret-valued bit b (0 or 1):
 * cmov: f = b ? g : f.  cswap: (f, g) = b ? (g, f) : (f, g). */
void fe25519_cmov(fe25519 f, const fe25519 g, uint32_t b);
void fe25519_cswap(fe25519 f, fe25519 g, uint32_t b);

/* Load 32 little-endian bytes, IGNORING bit 255 (RFC 7748 masks it). Values in
 * [p, 2^255) are accepted and act as their residue (RFC 7748 section 5);
 * callers that need canonical input (Ed25519) check the bytes themselves. */
void fe25519_frombytes(fe25519 h, const uint8_t s[32]);
/* Store the canonical residue in [0, p), little-endian; bit 255 is 0. */
void fe25519_tobytes(uint8_t s[32], const fe25519 h);

/* 1 if f = 0 mod p, else 0. */
uint32_t fe25519_iszero(const fe25519 f);
/* The low bit of the canonical residue ("negative" in RFC 8032). */
uint32_t fe25519_isodd(const fe25519 f);

#endif /* CRYPTO_FE25519_H */
