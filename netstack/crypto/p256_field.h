/*
 * p256_field.h - arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
 *
 * A field element is eight 32-bit limbs, least significant first. Every function
 * takes fully reduced inputs (0 <= a < p) and returns a fully reduced output, so
 * equality of elements is equality of limbs. Outputs may alias inputs.
 *
 * All functions run in constant time: the instructions executed and the memory
 * touched depend on nothing but the code path chosen by the caller. Secret
 * scalars (ECDH, signing) flow through these, so there is no branch and no
 * table index on limb values anywhere in this file.
 *
 * Multiplication is a schoolbook 8x8-limb product followed by the special
 * ("Solinas") reduction that the shape of p allows: the 512-bit product is folded
 * with additions and subtractions of its own words, no division and no
 * Montgomery form, so elements stay in plain representation.
 */
#ifndef CRYPTO_P256_FIELD_H
#define CRYPTO_P256_FIELD_H

#include <stdint.h>

#define P256_LIMBS 8

typedef uint32_t p256_fe[P256_LIMBS];

/* The prime itself, limbs least significant first. */
extern const p256_fe p256_p;

/* r = a + b mod p */
void p256_fe_add(p256_fe r, const p256_fe a, const p256_fe b);
/* r = a - b mod p */
void p256_fe_sub(p256_fe r, const p256_fe a, const p256_fe b);
/* r = a * b mod p */
void p256_fe_mul(p256_fe r, const p256_fe a, const p256_fe b);
/* r = a^2 mod p */
void p256_fe_sqr(p256_fe r, const p256_fe a);
/* r = a^(p-2) mod p: the inverse of a, and 0 when a == 0 (no error: callers
 * that must not see 0 check the input). Constant time (Fermat, fixed chain). */
void p256_fe_inv(p256_fe r, const p256_fe a);

/* r = a when ctl == 1, r unchanged when ctl == 0. ctl must be 0 or 1. */
void p256_fe_cmov(p256_fe r, const p256_fe a, uint32_t ctl);
/* 0xFFFFFFFF when a == 0, else 0. */
uint32_t p256_fe_is_zero(const p256_fe a);
/* 0xFFFFFFFF when a == b, else 0. */
uint32_t p256_fe_equal(const p256_fe a, const p256_fe b);

/* Decode 32 big-endian bytes. Returns 1 if the value is < p (and stores it),
 * 0 if it is >= p (r then holds the value reduced mod p, never an invalid
 * element). The comparison is constant time. */
int p256_fe_from_bytes(p256_fe r, const uint8_t in[32]);
/* Encode as 32 big-endian bytes. */
void p256_fe_to_bytes(uint8_t out[32], const p256_fe a);

#endif /* CRYPTO_P256_FIELD_H */
