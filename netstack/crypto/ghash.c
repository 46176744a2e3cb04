/*
 * ghash.c - constant-time GHASH for 32-bit cores.
 *
 * GCM numbers the bits of a block from the most significant bit of byte 0
 * (coefficient of x^0). We bit-reverse each big-endian word on load, so bit i
 * of word j is the coefficient of x^(32j+i) and multiplication is ordinary
 * carry-less polynomial multiplication, reduced modulo x^128 + x^7 + x^2 + x + 1.
 *
 * 128x128: two levels of Karatsuba give 9 products of 32x32 bits. Each 64-bit
 * product is two "hole" multiplies: bmul32(x, y) gives the low 32 bits, and
 * rev(bmul32(rev x, rev y)) >> 1 gives the high 31 (reversal turns the top of
 * a product into the bottom of the product of the reversals).
 */
#include "ghash.h"

#include <string.h>

#include "ct.h"
#include "sym_bytes.h"

static inline uint32_t rev32(uint32_t x)
{
#if (defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 2) ||                           \
    (defined(__ARM_ARCH_ISA_ARM) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    __asm__("rbit %0, %1" : "=r"(x) : "r"(x));
    return x;
#else
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
    return (x >> 16) | (x << 16);
#endif
}

/* Low 32 bits of the carry-less product x * y. Operands split into four
 * classes of bit positions mod 4; an integer product of two such parts has
 * its terms at one residue mod 4, at most 8 per position, so the sum fits in
 * the 3 empty bits above each one and never disturbs the next term. */
__attribute__((always_inline)) static inline uint32_t bmul32(uint32_t x, uint32_t y)
{
    const uint32_t x0 = x & 0x11111111u, x1 = x & 0x22222222u;
    const uint32_t x2 = x & 0x44444444u, x3 = x & 0x88888888u;
    const uint32_t y0 = y & 0x11111111u, y1 = y & 0x22222222u;
    const uint32_t y2 = y & 0x44444444u, y3 = y & 0x88888888u;
    uint32_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
    uint32_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
    uint32_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
    uint32_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
    return (z0 & 0x11111111u) | (z1 & 0x22222222u) | (z2 & 0x44444444u) |
           (z3 & 0x88888888u);
}

/* The 9 Karatsuba operands of a 128-bit value: for each 64-bit half and
 * their sum, the two 32-bit words and their sum. */
static void karatsuba_operands(uint32_t o[9], const uint32_t a[4])
{
    o[0] = a[0];
    o[1] = a[1];
    o[2] = a[0] ^ a[1];
    o[3] = a[2];
    o[4] = a[3];
    o[5] = a[2] ^ a[3];
    o[6] = a[0] ^ a[2];
    o[7] = a[1] ^ a[3];
    o[8] = o[6] ^ o[7];
}

/* 64-bit Karatsuba recombination of products p[0] (low), p[1] (high),
 * p[2] (sums) into 128 bits. lo/hi hold each product's two halves. */
__attribute__((always_inline)) static inline void combine64(uint32_t r[4], const uint32_t *lo,
                                                             const uint32_t *hi)
{
    r[0] = lo[0];
    r[1] = hi[0] ^ lo[2] ^ lo[0] ^ lo[1];
    r[2] = lo[1] ^ hi[2] ^ hi[0] ^ hi[1];
    r[3] = hi[1];
}

/* y = y * H mod P */
static void gf_mul(uint32_t y[4], const crypto_ghash_key *k)
{
    uint32_t a[9], lo[9], hi[9];
    karatsuba_operands(a, y);
    for (unsigned i = 0; i < 9; i++) {
        lo[i] = bmul32(a[i], k->h[i]);
        hi[i] = rev32(bmul32(rev32(a[i]), k->hr[i])) >> 1;
    }
    uint32_t l[4], h[4], m[4];
    combine64(l, lo, hi);
    combine64(h, lo + 3, hi + 3);
    combine64(m, lo + 6, hi + 6);
    /* 256-bit product z = l + (m - l - h) x^64 + h x^128 */
    uint32_t z0 = l[0], z1 = l[1], z2 = l[2] ^ m[0] ^ l[0] ^ h[0];
    uint32_t z3 = l[3] ^ m[1] ^ l[1] ^ h[1];
    uint32_t t0 = h[0] ^ m[2] ^ l[2] ^ h[2], t1 = h[1] ^ m[3] ^ l[3] ^ h[3];
    uint32_t t2 = h[2], t3 = h[3];
    /* x^128 = x^7 + x^2 + x + 1: fold t (bits 128..254) down, then fold the
     * few bits that t x^7 pushed past 2^128 once more. */
    uint32_t v = (t3 >> 31) ^ (t3 >> 30) ^ (t3 >> 25);
    y[0] = z0 ^ t0 ^ (t0 << 1) ^ (t0 << 2) ^ (t0 << 7) ^ v ^ (v << 1) ^ (v << 2) ^ (v << 7);
    y[1] = z1 ^ t1 ^ (t1 << 1) ^ (t0 >> 31) ^ (t1 << 2) ^ (t0 >> 30) ^ (t1 << 7) ^ (t0 >> 25);
    y[2] = z2 ^ t2 ^ (t2 << 1) ^ (t1 >> 31) ^ (t2 << 2) ^ (t1 >> 30) ^ (t2 << 7) ^ (t1 >> 25);
    y[3] = z3 ^ t3 ^ (t3 << 1) ^ (t2 >> 31) ^ (t3 << 2) ^ (t2 >> 30) ^ (t3 << 7) ^ (t2 >> 25);
}

static inline uint32_t load_poly(const uint8_t *p)
{
    return rev32(sym_load_be32(p));
}

void crypto_ghash_key_init(crypto_ghash_key *k, const uint8_t h[16])
{
    uint32_t w[4];
    for (unsigned i = 0; i < 4; i++) {
        w[i] = load_poly(h + 4 * i);
    }
    karatsuba_operands(k->h, w);
    for (unsigned i = 0; i < 9; i++) {
        k->hr[i] = rev32(k->h[i]);
    }
    crypto_wipe(w, sizeof w);
}

void crypto_ghash_init(crypto_ghash_ctx *c)
{
    memset(c, 0, sizeof *c);
}

static void absorb(crypto_ghash_ctx *c, const crypto_ghash_key *k, const uint8_t *p)
{
    for (unsigned i = 0; i < 4; i++) {
        c->y[i] ^= load_poly(p + 4 * i);
    }
    gf_mul(c->y, k);
}

void crypto_ghash_update(crypto_ghash_ctx *c, const crypto_ghash_key *k, const void *data,
                         size_t len)
{
    const uint8_t *p = data;
    if (len == 0) {
        return;
    }
    if (c->fill != 0) {
        size_t take = 16u - c->fill;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill < 16u) {
            return;
        }
        absorb(c, k, c->buf);
        c->fill = 0;
    }
    while (len >= 16u) {
        absorb(c, k, p);
        p += 16;
        len -= 16;
    }
    if (len != 0) {
        memcpy(c->buf, p, len);
        c->fill = len;
    }
}

void crypto_ghash_pad(crypto_ghash_ctx *c, const crypto_ghash_key *k)
{
    if (c->fill != 0) {
        memset(c->buf + c->fill, 0, 16u - c->fill);
        absorb(c, k, c->buf);
        c->fill = 0;
    }
}

void crypto_ghash_final(crypto_ghash_ctx *c, const crypto_ghash_key *k, uint8_t out[16])
{
    crypto_ghash_pad(c, k);
    for (unsigned i = 0; i < 4; i++) {
        sym_store_be32(out + 4 * i, rev32(c->y[i]));
    }
    crypto_wipe(c, sizeof *c);
}
