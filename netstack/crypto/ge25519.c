/*
 * ge25519.c - Edwards25519 group arithmetic, fixed-base comb and the
 * verification's double-scalar multiplication. See ge25519.h.
 *
 * Formulas: Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited"
 * (2008), a = -1: add-2008-hwcd-3 for additions and dbl-2008-hwcd for
 * doublings, both written to the completed (p1p1) form. The limb bounds of
 * fe25519.h are respected term by term; the comments say where a value is loose.
 */
#include "ge25519.h"

#include <string.h>

#include "ct.h"
#include "sc25519.h"

void ge25519_p3_0(ge25519_p3 *h)
{
    fe25519_0(h->X);
    fe25519_1(h->Y);
    fe25519_1(h->Z);
    fe25519_0(h->T);
}

/* Doubling needs only X, Y, Z. With A = X^2, B = Y^2, C = 2 Z^2:
 *   E = A + B - (X + Y)^2,  G = A - B,  F = G + C,  H = A + B
 * (the negatives of the textbook E, G, F, H for a = -1; the signs cancel in
 * every product the p1p1 form takes). */
void ge25519_p2_dbl(ge25519_p1p1 *r, const ge25519_p2 *p)
{
    fe25519 a, b, c;
    fe25519_sq(a, p->X);
    fe25519_sq(b, p->Y);
    fe25519_sq(c, p->Z);
    fe25519_add(c, c, c);            /* loose (2 terms) */
    fe25519_add(r->H, p->X, p->Y);
    fe25519_sq(r->E, r->H);
    fe25519_add(r->H, a, b);         /* loose (2) */
    fe25519_sub(r->E, r->H, r->E);   /* loose (3) */
    fe25519_sub(r->G, a, b);         /* loose (2) */
    fe25519_add(r->F, r->G, c);      /* 4 terms: too loose for mul, carry */
    fe25519_carry(r->F);
}

void ge25519_p3_dbl(ge25519_p1p1 *r, const ge25519_p3 *p)
{
    /* p3 begins with the p2 fields. */
    ge25519_p2 q;
    fe25519_copy(q.X, p->X);
    fe25519_copy(q.Y, p->Y);
    fe25519_copy(q.Z, p->Z);
    ge25519_p2_dbl(r, &q);
}

/* The additions: A = (Y1 - X1)(Y2 - X2), B = (Y1 + X1)(Y2 + X2), C = 2d T1 T2,
 * D = 2 Z1 Z2; E = B - A, F = D - C, G = D + C, H = B + A. Subtraction adds
 * -Q = (Y+X and Y-X swapped, -2dT). Every output is at most 3 terms loose. */
static void ge25519_add_core(ge25519_p1p1 *r, const ge25519_p3 *p, const fe25519 ypx,
                             const fe25519 ymx, const fe25519 t2d, const fe25519 *z,
                             int negate)
{
    fe25519 a, b, c, d;
    fe25519_sub(a, p->Y, p->X);
    fe25519_mul(a, a, negate ? ypx : ymx);
    fe25519_add(b, p->Y, p->X);
    fe25519_mul(b, b, negate ? ymx : ypx);
    fe25519_mul(c, p->T, t2d);
    if (z != NULL) {
        fe25519_mul(d, p->Z, *z);
        fe25519_add(d, d, d);
    } else {
        fe25519_add(d, p->Z, p->Z);
    }
    fe25519_sub(r->E, b, a);
    fe25519_add(r->H, b, a);
    if (negate) {
        fe25519_add(r->F, d, c);
        fe25519_sub(r->G, d, c);
    } else {
        fe25519_sub(r->F, d, c);
        fe25519_add(r->G, d, c);
    }
}

/* `negate` and the presence of Z are fixed per call site, never secret. */
void ge25519_add(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q)
{
    ge25519_add_core(r, p, q->ypx, q->ymx, q->T2d, &q->Z, 0);
}

void ge25519_sub(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q)
{
    ge25519_add_core(r, p, q->ypx, q->ymx, q->T2d, &q->Z, 1);
}

void ge25519_madd(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_niels *q)
{
    ge25519_add_core(r, p, q->ypx, q->ymx, q->xy2d, NULL, 0);
}

void ge25519_msub(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_niels *q)
{
    ge25519_add_core(r, p, q->ypx, q->ymx, q->xy2d, NULL, 1);
}

void ge25519_p1p1_to_p2(ge25519_p2 *r, const ge25519_p1p1 *p)
{
    fe25519_mul(r->X, p->E, p->F);
    fe25519_mul(r->Y, p->G, p->H);
    fe25519_mul(r->Z, p->F, p->G);
}

void ge25519_p1p1_to_p3(ge25519_p3 *r, const ge25519_p1p1 *p)
{
    fe25519_mul(r->X, p->E, p->F);
    fe25519_mul(r->Y, p->G, p->H);
    fe25519_mul(r->Z, p->F, p->G);
    fe25519_mul(r->T, p->E, p->H);
}

void ge25519_p3_to_cached(ge25519_cached *r, const ge25519_p3 *p)
{
    fe25519_add(r->ypx, p->Y, p->X);
    fe25519_sub(r->ymx, p->Y, p->X);
    fe25519_copy(r->Z, p->Z);
    fe25519_mul(r->T2d, p->T, ge25519_d2);
}

void ge25519_tobytes(uint8_t s[32], const ge25519_p2 *p)
{
    fe25519 recip, x, y;
    fe25519_invert(recip, p->Z);
    fe25519_mul(x, p->X, recip);
    fe25519_mul(y, p->Y, recip);
    fe25519_tobytes(s, y);
    s[31] ^= (uint8_t)(fe25519_isodd(x) << 7);
    crypto_wipe(recip, sizeof recip);
    crypto_wipe(x, sizeof x);
    crypto_wipe(y, sizeof y);
}

void ge25519_p3_tobytes(uint8_t s[32], const ge25519_p3 *p)
{
    ge25519_p2 q;
    fe25519_copy(q.X, p->X);
    fe25519_copy(q.Y, p->Y);
    fe25519_copy(q.Z, p->Z);
    ge25519_tobytes(s, &q);
    crypto_wipe(&q, sizeof q);
}

int ge25519_frombytes_vartime(ge25519_p3 *h, const uint8_t s[32])
{
    fe25519 u, v, v3, vxx, check;
    unsigned sign = s[31] >> 7;

    /* y must be canonical: y < p = 2^255 - 19, i.e. not 0x7fff...ffed..0x7fff...ffff
     * with the sign bit cleared. */
    int all_ones = (s[31] & 0x7f) == 0x7f;
    for (int i = 1; i < 31; i++) {
        all_ones &= s[i] == 0xff;
    }
    if (all_ones && s[0] >= 0xed) {
        return -1;
    }
    fe25519_frombytes(h->Y, s);
    fe25519_1(h->Z);
    fe25519_sq(u, h->Y);
    fe25519_mul(v, u, ge25519_d);
    fe25519_sub(u, u, h->Z);           /* u = y^2 - 1 */
    fe25519_add(v, v, h->Z);           /* v = d y^2 + 1 */

    /* x = u v^3 (u v^7)^((p-5)/8), the candidate root of u/v (RFC 8032 5.1.3). */
    fe25519_sq(v3, v);
    fe25519_mul(v3, v3, v);            /* v^3 */
    fe25519_sq(h->X, v3);
    fe25519_mul(h->X, h->X, v);
    fe25519_mul(h->X, h->X, u);        /* u v^7 */
    fe25519_pow22523(h->X, h->X);
    fe25519_mul(h->X, h->X, v3);
    fe25519_mul(h->X, h->X, u);

    fe25519_sq(vxx, h->X);
    fe25519_mul(vxx, vxx, v);
    fe25519_sub(check, vxx, u);        /* v x^2 = u: x is a root */
    if (!fe25519_iszero(check)) {
        fe25519_add(check, vxx, u);    /* v x^2 = -u: sqrt(-1) x is */
        if (!fe25519_iszero(check)) {
            return -1;
        }
        fe25519_mul(h->X, h->X, ge25519_sqrtm1);
    }
    if (fe25519_iszero(h->X) && sign) {
        return -1;                     /* "negative zero" is not an encoding */
    }
    if (fe25519_isodd(h->X) != sign) {
        fe25519_neg(h->X, h->X);
    }
    fe25519_mul(h->T, h->X, h->Y);
    return 0;
}

/* ---- fixed base: signed comb -------------------------------------------- */

/* The comb reads every bit of k as a digit +1 (bit set) or -1 (clear), so its
 * 256 bits stand for 2k - (2^256 - 1). Solving 2k - (2^256 - 1) = a (mod L):
 * k = a/2 + (2^256 - 1)/2 mod L, one muladd with these two constants. */
static const uint8_t comb_half[32] = {     /* 1/2 mod L */
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51,
    0xef, 0x7c, 0x6f, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08,
};
static const uint8_t comb_offset[32] = {   /* (2^256 - 1)/2 mod L */
    0x8e, 0x4a, 0xcc, 0x46, 0xba, 0x18, 0x76, 0x6b, 0xb8, 0xe7, 0xbe, 0x39,
    0xfa, 0xad, 0x77, 0x63, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07,
};

static uint32_t bit_at(const uint8_t k[32], unsigned i)
{
    return (uint32_t)(k[i >> 3] >> (i & 7)) & 1u;
}

/* t = sign ? -comb[c][idx] : comb[c][idx]. Every word of all eight entries is
 * read and masked, so neither the time nor the addresses depend on idx. Word
 * by word (rather than entry by entry) keeps the result in registers. */
static void comb_select(ge25519_niels *t, unsigned c, uint32_t idx, uint32_t sign)
{
    const ge25519_niels *tab = ge25519_comb[c];
    int32_t m[8];
    fe25519 neg;
    for (uint32_t i = 0; i < 8; i++) {
        m[i] = (int32_t)crypto_ct_mask_zero32(i ^ idx);
    }
    for (unsigned w = 0; w < 10; w++) {
        int32_t a = 0, b = 0, d = 0;
#if defined(__GNUC__)
#pragma GCC unroll 8
#endif
        for (unsigned i = 0; i < 8; i++) {
            a |= tab[i].ypx[w] & m[i];
            b |= tab[i].ymx[w] & m[i];
            d |= tab[i].xy2d[w] & m[i];
        }
        t->ypx[w] = a;
        t->ymx[w] = b;
        t->xy2d[w] = d;
    }
    fe25519_cswap(t->ypx, t->ymx, sign);
    fe25519_neg(neg, t->xy2d);
    fe25519_cmov(t->xy2d, neg, sign);
}

void ge25519_scalarmult_base(ge25519_p3 *h, const uint8_t a[32])
{
    uint8_t k[32];
    ge25519_p1p1 r;
    ge25519_p2 q;
    ge25519_niels t;

    sc25519_muladd(k, a, comb_half, comb_offset);
    ge25519_p3_0(h);
    /* Column m of comb c gathers digits 128c + 32t + m, t = 0..3. Tooth 3's
     * digit gives the sign; the other three, relative to it, the entry.
     * A doubling needs no T, so the addition before it stops at p2 (3 mul). */
    for (int m = 31; m >= 0; m--) {
        for (unsigned c = 0; c < 2; c++) {
            unsigned base = 128 * c + (unsigned)m;
            uint32_t b3 = bit_at(k, base + 96);
            uint32_t idx = 0;
            for (unsigned tooth = 0; tooth < 3; tooth++) {
                idx |= (1u ^ bit_at(k, base + 32 * tooth) ^ b3) << tooth;
            }
            comb_select(&t, c, idx, b3 ^ 1u);
            ge25519_madd(&r, h, &t);
            if (c == 1 && m != 0) {
                ge25519_p1p1_to_p2(&q, &r);
                ge25519_p2_dbl(&r, &q);
            }
            ge25519_p1p1_to_p3(h, &r);
        }
    }
    crypto_wipe(k, sizeof k);
    crypto_wipe(&r, sizeof r);
    crypto_wipe(&q, sizeof q);
    crypto_wipe(&t, sizeof t);
}

/* ---- variable base, variable time: two sliding windows ------------------ */

/* Width-w NAF of a 256-bit scalar: digits odd in (-2^(w-1), 2^(w-1)) or zero,
 * any two nonzero digits at least w apart; 257 positions (a carry may reach
 * bit 256). */
static void wnaf(int8_t naf[257], const uint8_t s[32], unsigned w)
{
    uint32_t carry = 0;
    memset(naf, 0, 257);
    for (unsigned i = 0; i < 257;) {
        uint32_t bit = i < 256 ? bit_at(s, i) : 0u;
        if (bit == carry) {
            i++;
            continue;
        }
        int32_t win = (int32_t)carry;
        for (unsigned j = 0; j < w && i + j < 256; j++) {
            win += (int32_t)(bit_at(s, i + j) << j);
        }
        if (win & (1 << (w - 1))) {
            naf[i] = (int8_t)(win - (1 << w));
            carry = 1;
        } else {
            naf[i] = (int8_t)win;
            carry = 0;
        }
        i += w;
    }
}

void ge25519_double_scalarmult_vartime(ge25519_p2 *r, const uint8_t a[32],
                                       const ge25519_p3 *A, const uint8_t b[32])
{
    int8_t na[257], nb[257];
    ge25519_cached ai[8];            /* A, 3A, 5A, ..., 15A */
    ge25519_p1p1 t;
    ge25519_p3 u, a2;
    int i;

    wnaf(na, a, 5);
    wnaf(nb, b, 6);

    ge25519_p3_to_cached(&ai[0], A);
    ge25519_p3_dbl(&t, A);
    ge25519_p1p1_to_p3(&a2, &t);
    for (int j = 1; j < 8; j++) {
        ge25519_add(&t, &a2, &ai[j - 1]);
        ge25519_p1p1_to_p3(&u, &t);
        ge25519_p3_to_cached(&ai[j], &u);
    }

    fe25519_0(r->X);
    fe25519_1(r->Y);
    fe25519_1(r->Z);
    i = 256;                         /* skip the leading zero digits */
    while (i >= 0 && na[i] == 0 && nb[i] == 0) {
        i--;
    }
    for (; i >= 0; i--) {
        ge25519_p2_dbl(&t, r);
        if (na[i] > 0) {
            ge25519_p1p1_to_p3(&u, &t);
            ge25519_add(&t, &u, &ai[na[i] / 2]);
        } else if (na[i] < 0) {
            ge25519_p1p1_to_p3(&u, &t);
            ge25519_sub(&t, &u, &ai[-na[i] / 2]);
        }
        if (nb[i] > 0) {
            ge25519_p1p1_to_p3(&u, &t);
            ge25519_madd(&t, &u, &ge25519_base_odd[nb[i] / 2]);
        } else if (nb[i] < 0) {
            ge25519_p1p1_to_p3(&u, &t);
            ge25519_msub(&t, &u, &ge25519_base_odd[-nb[i] / 2]);
        }
        ge25519_p1p1_to_p2(r, &t);
    }
}
