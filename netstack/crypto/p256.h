/*
 * p256.h - the NIST P-256 curve y^2 = x^3 - 3x + b over GF(p): points, their
 * encodings, and constant-time scalar multiplication.
 *
 * Constant-time multiplication (for private scalars: ECDH, ECDSA signing) uses
 * homogeneous projective coordinates and the complete addition and doubling
 * formulas of Renes, Costello and Batina (2016, algorithms 4 and 6, a = -3):
 * they are correct for every pair of inputs, the point at infinity included, so
 * there is no special case to branch on. The scalar is consumed in fixed 4-bit
 * windows whose table entry is read by scanning the whole table with masks;
 * multiples of G use a comb over a constant table instead of windows.
 *
 * Verification (public data only) lives in p256_verify.h and uses faster
 * variable-time Jacobian formulas instead.
 */
#ifndef CRYPTO_P256_H
#define CRYPTO_P256_H

#include <stdint.h>

#include "p256_field.h"
#include "p256_scalar.h"

/* Length of an uncompressed SEC1 point: 0x04 || x (32) || y (32). */
#define P256_POINT_LEN 65
#define P256_SCALAR_LEN 32

/* A point in homogeneous projective coordinates (x = X/Z, y = Y/Z);
 * Z == 0 is the point at infinity. */
typedef struct {
    p256_fe x, y, z;
} p256_point;

/* An affine point (constant tables). */
typedef struct {
    p256_fe x, y;
} p256_affine;

/* Fixed-base comb table for G (p256_table.c): entry b = sum over the set bits t
 * of b of 2^(64t) G, for b = 1..15; entry 0 holds (0, 1), which with Z = 0 is
 * the point at infinity. */
#define P256_COMB_TEETH 4
#define P256_COMB_SPACING 64
extern const p256_affine p256_g_comb[1 << P256_COMB_TEETH];

/* The curve's b and the base point's affine coordinates. */
extern const p256_fe p256_b;
extern const p256_fe p256_gx;
extern const p256_fe p256_gy;

/* 0xFFFFFFFF if (x, y) satisfies the curve equation, else 0. Constant time. */
uint32_t p256_on_curve(const p256_fe x, const p256_fe y);

/* Parse an uncompressed SEC1 point (65 bytes, 0x04 || x || y). Public data:
 * returns APG_OK, or APG_EBADMSG when the prefix is not 0x04 (the one-byte
 * infinity encoding 0x00 and compressed points included), a coordinate is >= p,
 * or the point is not on the curve. A valid (x, y) is never the point at
 * infinity, and every such point has order n (the cofactor is 1). */
int p256_point_decode(p256_fe x, p256_fe y, const uint8_t in[P256_POINT_LEN]);
/* Write the uncompressed SEC1 encoding of an affine point. */
void p256_point_encode(uint8_t out[P256_POINT_LEN], const p256_fe x, const p256_fe y);

/* r = k * (px, py), constant time in k and in the point. k may be any 256-bit
 * value (0 and multiples of n give infinity). */
void p256_mul_ct(p256_point *r, const p256_sc k, const p256_fe px, const p256_fe py);
/* r = k * G, constant time in k: a 4-tooth comb over the constant table
 * (63 doublings and 64 complete additions, each table read a full masked scan),
 * about 2.5x faster than p256_mul_ct with G. */
void p256_mul_base_ct(p256_point *r, const p256_sc k);

/* Affine coordinates of p. Returns 0xFFFFFFFF, or 0 when p is the point at
 * infinity (x and y are then 0). Constant time (Fermat inversion). */
uint32_t p256_to_affine(p256_fe x, p256_fe y, const p256_point *p);

#endif /* CRYPTO_P256_H */
