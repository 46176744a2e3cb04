/*
 * p256_verify.h - the variable-time part of ECDSA P-256 verification:
 * R = u1 G + u2 Q and the comparison of R's x coordinate with r.
 *
 * Only public values pass through here (the signature, the hash, the public key),
 * so it trades constant time for speed: Jacobian coordinates with the a = -3
 * doubling, a width-6 wNAF of u1 over a constant table of odd multiples of G
 * (p256_table.c, affine, so additions are mixed), a width-5 wNAF of u2 over
 * odd multiples of Q computed on the fly, both recoded scalars consumed in one
 * shared chain of 256 doublings (Shamir's trick), and no final inversion: x(R)
 * is compared with r in projective form, X == r Z^2 (and (r + n) Z^2 when r + n < p).
 */
#ifndef CRYPTO_P256_VERIFY_H
#define CRYPTO_P256_VERIFY_H

#include <stdint.h>

#include "p256.h"
#include "p256_field.h"
#include "p256_scalar.h"

#define P256_G_ODD_COUNT 16
extern const p256_affine p256_g_odd[P256_G_ODD_COUNT];

/* 1 when x(u1 G + u2 Q) mod n == r, else 0 (also 0 when the sum is the point at
 * infinity). (qx, qy) must be a valid curve point (p256_point_decode); u1, u2
 * and r must be < n. Variable time. */
int p256_verify_combination(const p256_sc u1, const p256_sc u2, const p256_fe qx,
                            const p256_fe qy, const p256_sc r);

#endif /* CRYPTO_P256_VERIFY_H */
