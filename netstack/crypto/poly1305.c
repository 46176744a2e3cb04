/*
 * poly1305.c - Poly1305 in radix 2^32 for 32-bit cores with a 32x32->64
 * multiply (Cortex-M3 umull/umlal, RV32 mul/mulhu).
 *
 * h = h0 + h1 2^32 + h2 2^64 + h3 2^96 + h4 2^128 with h4 a few bits. The key
 * clamp makes r1..r3 multiples of 4, so a product landing at 2^128 or above
 * folds back with 2^130 = 5 (mod p): h_i r_j 2^(32(i+j)) for i+j >= 4 becomes
 * h_i (5 r_j / 4) 2^(32(i+j-4)), and 5 r_j / 4 = r_j + (r_j >> 2) exactly.
 * For h4 r0 only the multiple-of-4 part folds; h4 (r0 & 3) stays at 2^128.
 * That is 16 full multiplies and 4 small ones per block, and each column sum
 * stays below 2^63. After each block h is only partly reduced (h4 <= 4); the
 * full reduction happens once, in final.
 */
#include "poly1305.h"

#include <string.h>

#include "ct.h"
#include "sym_bytes.h"

/* acc += a * b, 32x32 -> 64. gcc at -Os computes the products of a column
 * separately and adds them pairwise; on ARMv7-M one UMLAL does it all. */
static inline uint64_t mac(uint64_t acc, uint32_t a, uint32_t b)
{
#if (defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 2) ||                           \
    (defined(__ARM_ARCH_ISA_ARM) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    uint32_t lo = (uint32_t)acc, hi = (uint32_t)(acc >> 32);
    __asm__("umlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b));
    return ((uint64_t)hi << 32) | lo;
#else
    return acc + (uint64_t)a * b;
#endif
}

/* One 16-byte block; hibit is 1 for full blocks (the 2^128 pad bit), 0 for the
 * final partial block, which carries its 0x01 pad byte in the data. */
static void poly1305_blocks(crypto_poly1305_ctx *c, const uint8_t *p, size_t nblocks,
                            uint32_t hibit)
{
    const uint32_t r0 = c->r[0], r1 = c->r[1], r2 = c->r[2], r3 = c->r[3];
    const uint32_t rr0 = (r0 >> 2) * 5u; /* r0 is not a multiple of 4: see above */
    const uint32_t rr1 = r1 + (r1 >> 2), rr2 = r2 + (r2 >> 2), rr3 = r3 + (r3 >> 2);
    uint32_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2], h3 = c->h[3], h4 = c->h[4];

    while (nblocks-- != 0) {
        /* h += m */
        uint64_t s = (uint64_t)h0 + sym_load_le32(p);
        h0 = (uint32_t)s;
        s = (s >> 32) + h1 + sym_load_le32(p + 4);
        h1 = (uint32_t)s;
        s = (s >> 32) + h2 + sym_load_le32(p + 8);
        h2 = (uint32_t)s;
        s = (s >> 32) + h3 + sym_load_le32(p + 12);
        h3 = (uint32_t)s;
        h4 += (uint32_t)(s >> 32) + hibit;

        /* h *= r (mod 2^130 - 5, partly reduced); one multiply-accumulate
         * per term keeps each column in a register pair (UMLAL on ARM) */
        uint64_t x0 = (uint64_t)h0 * r0;
        x0 = mac(x0, h1, rr3);
        x0 = mac(x0, h2, rr2);
        x0 = mac(x0, h3, rr1);
        x0 = mac(x0, h4, rr0);
        uint64_t x1 = (uint64_t)h0 * r1;
        x1 = mac(x1, h1, r0);
        x1 = mac(x1, h2, rr3);
        x1 = mac(x1, h3, rr2);
        x1 = mac(x1, h4, rr1);
        uint64_t x2 = (uint64_t)h0 * r2;
        x2 = mac(x2, h1, r1);
        x2 = mac(x2, h2, r0);
        x2 = mac(x2, h3, rr3);
        x2 = mac(x2, h4, rr2);
        uint64_t x3 = (uint64_t)h0 * r3;
        x3 = mac(x3, h1, r2);
        x3 = mac(x3, h2, r1);
        x3 = mac(x3, h3, r0);
        x3 = mac(x3, h4, rr3);
        uint32_t x4 = h4 * (r0 & 3u);

        /* carry the columns, then fold everything above 2^130 back in times 5 */
        h0 = (uint32_t)x0;
        x1 += x0 >> 32;
        h1 = (uint32_t)x1;
        x2 += x1 >> 32;
        h2 = (uint32_t)x2;
        x3 += x2 >> 32;
        h3 = (uint32_t)x3;
        x4 += (uint32_t)(x3 >> 32);
        uint32_t k = (x4 >> 2) + (x4 & ~3u); /* (x4 >> 2) * 5 */
        h4 = x4 & 3u;
        s = (uint64_t)h0 + k;
        h0 = (uint32_t)s;
        s = (s >> 32) + h1;
        h1 = (uint32_t)s;
        s = (s >> 32) + h2;
        h2 = (uint32_t)s;
        s = (s >> 32) + h3;
        h3 = (uint32_t)s;
        h4 += (uint32_t)(s >> 32);
        p += 16;
    }
    c->h[0] = h0;
    c->h[1] = h1;
    c->h[2] = h2;
    c->h[3] = h3;
    c->h[4] = h4;
}

void crypto_poly1305_init(crypto_poly1305_ctx *c, const uint8_t key[32])
{
    c->r[0] = sym_load_le32(key) & 0x0fffffffu;
    c->r[1] = sym_load_le32(key + 4) & 0x0ffffffcu;
    c->r[2] = sym_load_le32(key + 8) & 0x0ffffffcu;
    c->r[3] = sym_load_le32(key + 12) & 0x0ffffffcu;
    for (unsigned i = 0; i < 4; i++) {
        c->pad[i] = sym_load_le32(key + 16 + 4 * i);
    }
    memset(c->h, 0, sizeof c->h);
    c->fill = 0;
}

void crypto_poly1305_update(crypto_poly1305_ctx *c, const void *data, size_t len)
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
        poly1305_blocks(c, c->buf, 1, 1);
        c->fill = 0;
    }
    if (len >= 16u) {
        poly1305_blocks(c, p, len >> 4, 1);
        p += len & ~(size_t)15;
        len &= 15;
    }
    if (len != 0) {
        memcpy(c->buf, p, len);
        c->fill = len;
    }
}

void crypto_poly1305_final(crypto_poly1305_ctx *c, uint8_t tag[16])
{
    if (c->fill != 0) {
        c->buf[c->fill] = 1;
        memset(c->buf + c->fill + 1, 0, 15u - c->fill);
        poly1305_blocks(c, c->buf, 1, 0);
    }
    /* Here h < 2p. h >= p exactly when h + 5 reaches 2^130; then the result is
     * h + 5 - 2^130, and mod 2^128 the - 2^130 vanishes: add 5 * carry. */
    uint64_t s = (uint64_t)c->h[0] + 5u;
    s = (s >> 32) + c->h[1];
    s = (s >> 32) + c->h[2];
    s = (s >> 32) + c->h[3];
    uint32_t k = ((uint32_t)(s >> 32) + c->h[4]) >> 2; /* 0 or 1 */
    k *= 5u;
    s = (uint64_t)c->h[0] + k + c->pad[0];
    sym_store_le32(tag, (uint32_t)s);
    for (unsigned i = 1; i < 4; i++) {
        s = (s >> 32) + c->h[i] + c->pad[i];
        sym_store_le32(tag + 4 * i, (uint32_t)s);
    }
    crypto_wipe(c, sizeof *c);
}

void crypto_poly1305(const void *msg, size_t len, const uint8_t key[32], uint8_t tag[16])
{
    crypto_poly1305_ctx c;
    crypto_poly1305_init(&c, key);
    crypto_poly1305_update(&c, msg, len);
    crypto_poly1305_final(&c, tag);
}
