#include "p256_field.h"

#include <string.h>

const p256_fe p256_p = {
    0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000000u,
    0x00000000u, 0x00000000u, 0x00000001u, 0xFFFFFFFFu,
};

/* r = t - p when ctl is all ones, r = t when ctl is 0 (t and r may alias). */
static void sub_p_masked(uint32_t r[8], const uint32_t t[8], uint32_t ctl)
{
    int64_t acc = 0;
    for (int i = 0; i < 8; i++) {
        acc += (int64_t)t[i] - (int64_t)(p256_p[i] & ctl);
        r[i] = (uint32_t)acc;
        acc >>= 32; /* arithmetic shift: the borrow is 0 or -1 */
    }
}

/* Reduce t (< 2^256, top carry c in {0,1}) into [0, p). The value is < 2p. */
static void final_reduce(p256_fe r, const uint32_t t[8], uint32_t c)
{
    uint32_t u[8];
    int64_t acc = 0;
    for (int i = 0; i < 8; i++) {
        acc += (int64_t)t[i] - (int64_t)p256_p[i];
        u[i] = (uint32_t)acc;
        acc >>= 32;
    }
    /* t - p is the answer when it did not borrow, or when the 2^256 carry
     * absorbs the borrow. */
    uint32_t borrow = (uint32_t)acc & 1u;
    uint32_t use_u = 0u - (c | (borrow ^ 1u));
    for (int i = 0; i < 8; i++) {
        r[i] = (u[i] & use_u) | (t[i] & ~use_u);
    }
}

/*
 * Fold a signed top carry back in: 2^256 = 2^224 - 2^192 - 2^96 + 1 (mod p).
 * Returns the new top carry. Two folds always bring it to zero (the first
 * leaves at most +-1, and then the low part is far from the edge it crossed).
 */
static int32_t fold(uint32_t t[8], int32_t top)
{
    int64_t acc = (int64_t)t[0] + top;
    t[0] = (uint32_t)acc;
    acc >>= 32;
    acc += t[1];
    t[1] = (uint32_t)acc;
    acc >>= 32;
    acc += t[2];
    t[2] = (uint32_t)acc;
    acc >>= 32;
    acc += (int64_t)t[3] - top;
    t[3] = (uint32_t)acc;
    acc >>= 32;
    acc += t[4];
    t[4] = (uint32_t)acc;
    acc >>= 32;
    acc += t[5];
    t[5] = (uint32_t)acc;
    acc >>= 32;
    acc += (int64_t)t[6] - top;
    t[6] = (uint32_t)acc;
    acc >>= 32;
    acc += (int64_t)t[7] + top;
    t[7] = (uint32_t)acc;
    acc >>= 32;
    return (int32_t)acc;
}

/*
 * Reduce a 512-bit value c[0..15] mod p (FIPS 186-4 D.2.3): with the words
 * c15..c0, the result is s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9, where
 * each s is a 256-bit number built from the words of c. Below, that sum is
 * written out column by column (one limb of the result per line) and carried
 * in a signed 64-bit accumulator.
 */
static void reduce(p256_fe r, const uint32_t c[16])
{
#define C(i) ((int64_t)c[i])
    uint32_t t[8];
    int64_t acc;
    acc = C(0) + C(8) + C(9) - C(11) - C(12) - C(13) - C(14);
    t[0] = (uint32_t)acc;
    acc >>= 32;
    acc += C(1) + C(9) + C(10) - C(12) - C(13) - C(14) - C(15);
    t[1] = (uint32_t)acc;
    acc >>= 32;
    acc += C(2) + C(10) + C(11) - C(13) - C(14) - C(15);
    t[2] = (uint32_t)acc;
    acc >>= 32;
    acc += C(3) + 2 * (C(11) + C(12)) + C(13) - C(15) - C(8) - C(9);
    t[3] = (uint32_t)acc;
    acc >>= 32;
    acc += C(4) + 2 * (C(12) + C(13)) + C(14) - C(9) - C(10);
    t[4] = (uint32_t)acc;
    acc >>= 32;
    acc += C(5) + 2 * (C(13) + C(14)) + C(15) - C(10) - C(11);
    t[5] = (uint32_t)acc;
    acc >>= 32;
    acc += C(6) + 3 * C(14) + 2 * C(15) + C(13) - C(8) - C(9);
    t[6] = (uint32_t)acc;
    acc >>= 32;
    acc += C(7) + 3 * C(15) + C(8) - C(10) - C(11) - C(12) - C(13);
    t[7] = (uint32_t)acc;
    acc >>= 32;
#undef C
    int32_t top = fold(t, (int32_t)acc);
    top = fold(t, top);
    (void)top; /* zero by the argument above */
    final_reduce(r, t, 0);
}

#if defined(__thumb2__) && (defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__))
/* Cortex-M3/M4: unrolled assembly, about 3x fewer instructions than the C. */
#include "p256_field_cm3.h"
#define p256_add_impl p256_add_asm
#define p256_sub_impl p256_sub_asm
#else
static void p256_add_c(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint32_t t[8];
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a[i] + b[i];
        t[i] = (uint32_t)c;
        c >>= 32;
    }
    final_reduce(r, t, (uint32_t)c);
}

static void p256_sub_c(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint32_t t[8];
    int64_t acc = 0;
    for (int i = 0; i < 8; i++) {
        acc += (int64_t)a[i] - (int64_t)b[i];
        t[i] = (uint32_t)acc;
        acc >>= 32;
    }
    /* On borrow the difference wrapped by 2^256: adding p back (mod 2^256)
     * is the same as subtracting (2^256 - p). */
    uint32_t mask = (uint32_t)acc; /* 0 or 0xFFFFFFFF */
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)t[i] + (p256_p[i] & mask);
        r[i] = (uint32_t)c;
        c >>= 32;
    }
}

#define p256_add_impl p256_add_c
#define p256_sub_impl p256_sub_c

static void p256_mul_512(uint32_t c[16], const uint32_t a[8], const uint32_t b[8])
{
    /* Product scanning (column by column) with a 96-bit accumulator
     * (hi:acc). Each column is at most 8 products of 64 bits. */
    uint64_t acc = 0;
    uint32_t hi = 0;
    for (int k = 0; k < 15; k++) {
        int lo = k < 8 ? 0 : k - 7;
        int up = k < 8 ? k : 7;
        for (int i = lo; i <= up; i++) {
            uint64_t p = (uint64_t)a[i] * b[k - i];
            acc += p;
            hi += (uint32_t)(acc < p);
        }
        c[k] = (uint32_t)acc;
        acc = (acc >> 32) | ((uint64_t)hi << 32);
        hi = 0;
    }
    c[15] = (uint32_t)acc;
}

static void p256_sqr_512(uint32_t c[16], const uint32_t a[8])
{
    /* Each off-diagonal product a[i]a[j] (i < j) appears twice in a square:
     * sum those once, double the whole, then add the diagonal. */
    uint64_t acc = 0;
    uint32_t hi = 0;
    c[0] = 0;
    for (int k = 1; k < 15; k++) {
        int lo = k < 8 ? 0 : k - 7;
        for (int i = lo; 2 * i < k; i++) {
            uint64_t p = (uint64_t)a[i] * a[k - i];
            acc += p;
            hi += (uint32_t)(acc < p);
        }
        c[k] = (uint32_t)acc;
        acc = (acc >> 32) | ((uint64_t)hi << 32);
        hi = 0;
    }
    c[15] = (uint32_t)acc;
    uint64_t carry = 0;
    for (int i = 0; i < 16; i++) {
        uint32_t dbl = (c[i] << 1) | (uint32_t)carry;
        carry = c[i] >> 31;
        c[i] = dbl;
    }
    carry = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a[i] * a[i];
        carry += (uint64_t)c[2 * i] + (uint32_t)d;
        c[2 * i] = (uint32_t)carry;
        carry >>= 32;
        carry += (uint64_t)c[2 * i + 1] + (uint32_t)(d >> 32);
        c[2 * i + 1] = (uint32_t)carry;
        carry >>= 32;
    }
}
#endif

void p256_fe_add(p256_fe r, const p256_fe a, const p256_fe b)
{
    p256_add_impl(r, a, b);
}

void p256_fe_sub(p256_fe r, const p256_fe a, const p256_fe b)
{
    p256_sub_impl(r, a, b);
}

void p256_fe_mul(p256_fe r, const p256_fe a, const p256_fe b)
{
    uint32_t c[16];
    p256_mul_512(c, a, b);
    reduce(r, c);
}

void p256_fe_sqr(p256_fe r, const p256_fe a)
{
    uint32_t c[16];
    p256_sqr_512(c, a);
    reduce(r, c);
}

static void sqr_n(p256_fe r, const p256_fe a, int n)
{
    p256_fe_sqr(r, a);
    for (int i = 1; i < n; i++) {
        p256_fe_sqr(r, r);
    }
}

void p256_fe_inv(p256_fe r, const p256_fe a)
{
    /* p - 2 = ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff
     * fffffffd. xK below is a^(2^K - 1), a run of K one bits. */
    p256_fe x2, x3, x6, x12, x15, x30, x32, t;
    sqr_n(t, a, 1);
    p256_fe_mul(x2, t, a);
    sqr_n(t, x2, 1);
    p256_fe_mul(x3, t, a);
    sqr_n(t, x3, 3);
    p256_fe_mul(x6, t, x3);
    sqr_n(t, x6, 6);
    p256_fe_mul(x12, t, x6);
    sqr_n(t, x12, 3);
    p256_fe_mul(x15, t, x3);
    sqr_n(t, x15, 15);
    p256_fe_mul(x30, t, x15);
    sqr_n(t, x30, 2);
    p256_fe_mul(x32, t, x2);
    sqr_n(t, x32, 32); /* ffffffff 00000001 */
    p256_fe_mul(t, t, a);
    sqr_n(t, t, 128); /* 00000000 00000000 00000000 ffffffff */
    p256_fe_mul(t, t, x32);
    sqr_n(t, t, 32); /* ffffffff */
    p256_fe_mul(t, t, x32);
    sqr_n(t, t, 30); /* fffffffd = 30 ones, then 0, 1 */
    p256_fe_mul(t, t, x30);
    sqr_n(t, t, 2);
    p256_fe_mul(r, t, a);
}

void p256_fe_cmov(p256_fe r, const p256_fe a, uint32_t ctl)
{
    uint32_t m = 0u - ctl;
    for (int i = 0; i < 8; i++) {
        r[i] ^= m & (r[i] ^ a[i]);
    }
}

uint32_t p256_fe_is_zero(const p256_fe a)
{
    uint32_t x = 0;
    for (int i = 0; i < 8; i++) {
        x |= a[i];
    }
    return (uint32_t)(((uint64_t)x - 1u) >> 32);
}

uint32_t p256_fe_equal(const p256_fe a, const p256_fe b)
{
    uint32_t x = 0;
    for (int i = 0; i < 8; i++) {
        x |= a[i] ^ b[i];
    }
    return (uint32_t)(((uint64_t)x - 1u) >> 32);
}

int p256_fe_from_bytes(p256_fe r, const uint8_t in[32])
{
    uint32_t t[8];
    for (int i = 0; i < 8; i++) {
        const uint8_t *q = in + 28 - 4 * i;
        t[i] = ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
    }
    int64_t acc = 0;
    for (int i = 0; i < 8; i++) {
        acc += (int64_t)t[i] - (int64_t)p256_p[i];
        acc >>= 32;
    }
    uint32_t lt = (uint32_t)acc & 1u; /* t < p: the subtraction borrowed */
    sub_p_masked(r, t, (uint32_t)0u - (lt ^ 1u));
    return (int)lt;
}

void p256_fe_to_bytes(uint8_t out[32], const p256_fe a)
{
    for (int i = 0; i < 8; i++) {
        uint8_t *q = out + 28 - 4 * i;
        q[0] = (uint8_t)(a[i] >> 24);
        q[1] = (uint8_t)(a[i] >> 16);
        q[2] = (uint8_t)(a[i] >> 8);
        q[3] = (uint8_t)a[i];
    }
}
