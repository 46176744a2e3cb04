/*
 * sc25519.c - arithmetic modulo L by Barrett reduction on 32-bit words
 * (Handbook of Applied Cryptography, algorithm 14.42, base b = 2^32, k = 8).
 *
 * Barrett needs only multiplications and one or two final subtractions, all of
 * fixed length, so it is constant time without special care; the cost (about a
 * hundred 32x32 products per reduction) is small beside one field inversion.
 */
#include "sc25519.h"

#include "ct.h"

/* L, little-endian 32-bit words. */
static const uint32_t sc_L[8] = {
    0x5cf5d3edu, 0x5812631au, 0xa2f79cd6u, 0x14def9deu,
    0x00000000u, 0x00000000u, 0x00000000u, 0x10000000u,
};

/* mu = floor(2^512 / L), 260 bits. */
static const uint32_t sc_mu[9] = {
    0x0a2c131bu, 0xed9ce5a3u, 0x086329a7u, 0x2106215du, 0xffffffebu,
    0xffffffffu, 0xffffffffu, 0xffffffffu, 0x0000000fu,
};

static uint32_t ld32(const uint8_t *s)
{
    return (uint32_t)s[0] | ((uint32_t)s[1] << 8) | ((uint32_t)s[2] << 16)
         | ((uint32_t)s[3] << 24);
}

static void st32(uint8_t *s, uint32_t w)
{
    s[0] = (uint8_t)w;
    s[1] = (uint8_t)(w >> 8);
    s[2] = (uint8_t)(w >> 16);
    s[3] = (uint8_t)(w >> 24);
}

/* r = r - L if r >= L, on 9 words (r < 3L < 2^255 here), without a branch. */
static void sc_csub_l(uint32_t r[9])
{
    uint32_t t[9];
    uint32_t borrow = 0;
    for (int i = 0; i < 9; i++) {
        uint64_t d = (uint64_t)r[i] - (i < 8 ? sc_L[i] : 0u) - borrow;
        t[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    /* borrow = 1: r < L, keep r. */
    uint32_t keep = 0u - borrow;
    for (int i = 0; i < 9; i++) {
        r[i] = (r[i] & keep) | (t[i] & ~keep);
    }
}

/* out = x mod L for a 512-bit x (16 words). */
static void sc_barrett(uint8_t out[32], const uint32_t x[16])
{
    uint32_t q3[9];
    uint32_t r[9];
    /* q2 = floor(x / b^7) * mu; only its words 9..17 (q3) are needed, but the
     * lower words feed their carries, so the full product is formed. */
    uint32_t q2[18] = {0};
    for (int i = 0; i < 9; i++) {
        uint32_t carry = 0;
        for (int j = 0; j < 9; j++) {
            uint64_t t = (uint64_t)x[7 + i] * sc_mu[j] + q2[i + j] + carry;
            q2[i + j] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
        q2[i + 9] = carry;
    }
    for (int i = 0; i < 9; i++) {
        q3[i] = q2[9 + i];
    }
    /* r = (x - q3 * L) mod b^9; HAC 14.42 bounds the true value by 3L. */
    uint32_t p[9] = {0};
    for (int i = 0; i < 9; i++) {
        uint32_t carry = 0;
        for (int j = 0; j < 8 && i + j < 9; j++) {
            uint64_t t = (uint64_t)q3[i] * sc_L[j] + p[i + j] + carry;
            p[i + j] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
        if (i + 8 < 9) {
            p[i + 8] += carry;
        }
    }
    uint32_t borrow = 0;
    for (int i = 0; i < 9; i++) {
        uint64_t d = (uint64_t)x[i] - p[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    sc_csub_l(r);
    sc_csub_l(r);
    for (int i = 0; i < 8; i++) {
        st32(out + 4 * i, r[i]);
    }
    crypto_wipe(q2, sizeof q2);
    crypto_wipe(q3, sizeof q3);
    crypto_wipe(p, sizeof p);
    crypto_wipe(r, sizeof r);
}

void sc25519_reduce64(uint8_t out[32], const uint8_t in[64])
{
    uint32_t x[16];
    for (int i = 0; i < 16; i++) {
        x[i] = ld32(in + 4 * i);
    }
    sc_barrett(out, x);
    crypto_wipe(x, sizeof x);
}

void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
                    const uint8_t c[32])
{
    uint32_t aw[8], bw[8];
    uint32_t x[16] = {0};
    for (int i = 0; i < 8; i++) {
        aw[i] = ld32(a + 4 * i);
        bw[i] = ld32(b + 4 * i);
        x[i] = ld32(c + 4 * i);
    }
    /* x = c + a * b < 2^512: schoolbook, each step fits 64 bits because
     * (2^32-1)^2 + 2 (2^32-1) = 2^64 - 1. */
    for (int i = 0; i < 8; i++) {
        uint32_t carry = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t t = (uint64_t)aw[i] * bw[j] + x[i + j] + carry;
            x[i + j] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
        for (int k = i + 8; k < 16; k++) {
            uint64_t t = (uint64_t)x[k] + carry;
            x[k] = (uint32_t)t;
            carry = (uint32_t)(t >> 32);
        }
    }
    sc_barrett(out, x);
    crypto_wipe(aw, sizeof aw);
    crypto_wipe(bw, sizeof bw);
    crypto_wipe(x, sizeof x);
}

uint32_t sc25519_is_canonical(const uint8_t s[32])
{
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)ld32(s + 4 * i) - sc_L[i] - borrow;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow; /* s - L borrowed: s < L */
}
