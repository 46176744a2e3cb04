/*
 * ge25519.h - the Edwards25519 group (-x^2 + y^2 = 1 + d x^2 y^2 over GF(p)),
 * internal to netstack/crypto: Ed25519 signs and verifies with it, and X25519
 * uses its fixed-base multiplication for public keys.
 *
 * Point forms (Hisil-Wong-Carter-Dawson "extended" coordinates, a = -1):
 *   p2      (X : Y : Z)           x = X/Z, y = Y/Z; enough for doubling
 *   p3      (X : Y : Z : T)       p2 plus T = XY/Z; needed for addition
 *   p1p1    (E, F, G, H)          "completed": X = EF, Y = GH, Z = FG, T = EH,
 *                                 the raw result of an addition or doubling,
 *                                 converted to p2 (3 mul) or p3 (4 mul) as needed
 *   cached  (Y+X, Y-X, Z, 2dT)    a p3 point prepared to be added many times
 *   niels   (y+x, y-x, 2dxy)      an affine (Z = 1) point for tables in flash
 *
 * Constant time: everything except ge25519_double_scalarmult_vartime, which
 * only ever sees public values (signature, public key, message hash).
 */
#ifndef CRYPTO_GE25519_H
#define CRYPTO_GE25519_H

#include <stdint.h>

#include "fe25519.h"

typedef struct { fe25519 X, Y, Z; } ge25519_p2;
typedef struct { fe25519 X, Y, Z, T; } ge25519_p3;
typedef struct { fe25519 E, F, G, H; } ge25519_p1p1;
typedef struct { fe25519 ypx, ymx, Z, T2d; } ge25519_cached;
typedef struct { fe25519 ypx, ymx, xy2d; } ge25519_niels;

/* Tables and constants, generated in ge25519_base.c. */
extern const fe25519 ge25519_d;
extern const fe25519 ge25519_d2;
extern const fe25519 ge25519_sqrtm1;
extern const ge25519_niels ge25519_comb[2][8];
extern const ge25519_niels ge25519_base_odd[16];

/*
 * Decode 32 bytes (RFC 8032 section 5.1.3) strictly: fails with -1 if the
 * y coordinate is not canonical (y >= p), if x^2 = (y^2-1)/(dy^2+1) has no
 * root, or if x = 0 and the sign bit is set. Returns 0 on success. Points of
 * small order and mixed order are valid points and are accepted.
 * Variable time (public keys only).
 */
int ge25519_frombytes_vartime(ge25519_p3 *h, const uint8_t s[32]);

/* Encode as RFC 8032 section 5.1.2 (canonical y, sign bit = x mod 2). */
void ge25519_tobytes(uint8_t s[32], const ge25519_p2 *p);
void ge25519_p3_tobytes(uint8_t s[32], const ge25519_p3 *p);

/*
 * h = a B for any 32-byte little-endian a (reduced mod L inside; B has order L).
 * Constant time: signed comb, 2 combs x 4 teeth x 32 columns, 31 doublings and
 * 64 mixed additions with masked table reads. Stack: about 1.1 KiB.
 */
void ge25519_scalarmult_base(ge25519_p3 *h, const uint8_t a[32]);

/*
 * r = a A + b B, variable time (sliding windows: width 5 over A, width 6 over
 * the flash table of B). a and b are any 256-bit values. Stack: about 2.8 KiB.
 */
void ge25519_double_scalarmult_vartime(ge25519_p2 *r, const uint8_t a[32],
                                       const ge25519_p3 *A, const uint8_t b[32]);

/* Group operations, exposed for the tests and for X25519's key conversion. */
void ge25519_p3_0(ge25519_p3 *h);
void ge25519_p3_dbl(ge25519_p1p1 *r, const ge25519_p3 *p);
void ge25519_p2_dbl(ge25519_p1p1 *r, const ge25519_p2 *p);
void ge25519_add(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q);
void ge25519_sub(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q);
void ge25519_madd(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_niels *q);
void ge25519_msub(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_niels *q);
void ge25519_p1p1_to_p2(ge25519_p2 *r, const ge25519_p1p1 *p);
void ge25519_p1p1_to_p3(ge25519_p3 *r, const ge25519_p1p1 *p);
void ge25519_p3_to_cached(ge25519_cached *r, const ge25519_p3 *p);

#endif /* CRYPTO_GE25519_H */
