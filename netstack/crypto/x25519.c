/*
 * x25519.c - X25519 by the Montgomery ladder of RFC 7748 section 5.
 */
#include "x25519.h"

#include "apogee/err.h"
#include "ct.h"
#include "fe25519.h"
#include "ge25519.h"

static void x25519_clamp(uint8_t k[32], const uint8_t scalar[32])
{
    for (int i = 0; i < 32; i++) {
        k[i] = scalar[i];
    }
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
}

/* APG_EAUTH when all 32 bytes are zero, else APG_OK, without an early exit. */
static int x25519_check(const uint8_t out[32])
{
    uint32_t acc = 0;
    for (int i = 0; i < 32; i++) {
        acc |= out[i];
    }
    /* Arithmetic, not a branch: the verdict is returned to the caller, who
     * makes it public by aborting, but nothing in here depends on it. */
    return (int)((uint32_t)APG_EAUTH & crypto_ct_mask_zero32(acc));
}

int crypto_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32])
{
    uint8_t k[32];
    fe25519 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d;
    uint32_t swap = 0;

    x25519_clamp(k, scalar);
    fe25519_frombytes(x1, point);
    fe25519_1(x2);
    fe25519_0(z2);
    fe25519_copy(x3, x1);
    fe25519_1(z3);

    for (int t = 254; t >= 0; t--) {
        uint32_t kt = (uint32_t)(k[t >> 3] >> (t & 7)) & 1u;
        swap ^= kt;
        fe25519_cswap(x2, x3, swap);
        fe25519_cswap(z2, z3, swap);
        swap = kt;

        fe25519_addsub(a, b, x2, z2);    /* A = x2 + z2, B = x2 - z2 */
        fe25519_addsub(c, d, x3, z3);    /* C = x3 + z3, D = x3 - z3 */
        fe25519_sq(aa, a);
        fe25519_sq(bb, b);
        fe25519_mul(d, d, a);            /* DA */
        fe25519_mul(c, c, b);            /* CB */
        fe25519_sub(e, aa, bb);          /* E = AA - BB */
        fe25519_addsub(x3, z3, d, c);
        fe25519_sq(x3, x3);              /* (DA + CB)^2 */
        fe25519_sq(z3, z3);
        fe25519_mul(z3, z3, x1);         /* x1 (DA - CB)^2 */
        fe25519_mul(x2, aa, bb);         /* AA BB */
        fe25519_mul_small(z2, e, 121665);
        fe25519_add(z2, z2, aa);
        fe25519_mul(z2, z2, e);          /* E (AA + a24 E) */
    }
    fe25519_cswap(x2, x3, swap);
    fe25519_cswap(z2, z3, swap);

    fe25519_invert(z2, z2);              /* 0 stays 0: the identity gives u = 0 */
    fe25519_mul(x2, x2, z2);
    fe25519_tobytes(out, x2);

    crypto_wipe(k, sizeof k);
    crypto_wipe(x1, sizeof x1);
    crypto_wipe(x2, sizeof x2);
    crypto_wipe(z2, sizeof z2);
    crypto_wipe(x3, sizeof x3);
    crypto_wipe(z3, sizeof z3);
    crypto_wipe(a, sizeof a);
    crypto_wipe(aa, sizeof aa);
    crypto_wipe(b, sizeof b);
    crypto_wipe(bb, sizeof bb);
    crypto_wipe(e, sizeof e);
    crypto_wipe(c, sizeof c);
    crypto_wipe(d, sizeof d);
    return x25519_check(out);
}

void crypto_x25519_public_key(uint8_t out[32], const uint8_t scalar[32])
{
    uint8_t k[32];
    ge25519_p3 p;
    fe25519 num, den;

    x25519_clamp(k, scalar);
    ge25519_scalarmult_base(&p, k);
    /* Edwards (x, y) -> Montgomery u = (1 + y)/(1 - y) = (Z + Y)/(Z - Y). */
    fe25519_add(num, p.Z, p.Y);
    fe25519_sub(den, p.Z, p.Y);
    fe25519_invert(den, den);
    fe25519_mul(num, num, den);
    fe25519_tobytes(out, num);

    crypto_wipe(k, sizeof k);
    crypto_wipe(&p, sizeof p);
    crypto_wipe(num, sizeof num);
    crypto_wipe(den, sizeof den);
}
