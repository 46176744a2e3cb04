/*
 * sha256.c - SHA-256, written for small 32-bit cores: one rolled round loop
 * over a 16-word circular message schedule (64 bytes of stack for W), which
 * keeps the code small at -Os; SHA-256 is not on any hot path of ours except
 * the TLS transcript and HKDF, which hash little.
 */
#include "sha256.h"

#include <string.h>

#include "ct.h"

static const uint32_t K256[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u,
};

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[16];
    uint32_t s[8];
    memcpy(s, h, sizeof s);
    for (unsigned i = 0; i < 64; i++) {
        uint32_t wi;
        if (i < 16) {
            wi = load_be32(p + 4 * i);
        } else {
            uint32_t w15 = w[(i - 15) & 15];
            uint32_t w2 = w[(i - 2) & 15];
            uint32_t s0 = ror32(w15, 7) ^ ror32(w15, 18) ^ (w15 >> 3);
            uint32_t s1 = ror32(w2, 17) ^ ror32(w2, 19) ^ (w2 >> 10);
            wi = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
        }
        w[i & 15] = wi;
        uint32_t e = s[4];
        uint32_t t1 = s[7] + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
                      ((e & s[5]) ^ (~e & s[6])) + K256[i] + wi;
        uint32_t a = s[0];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
                      ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));
        s[7] = s[6];
        s[6] = s[5];
        s[5] = s[4];
        s[4] = s[3] + t1;
        s[3] = s[2];
        s[2] = s[1];
        s[1] = s[0];
        s[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++) {
        h[i] += s[i];
    }
    crypto_wipe(w, sizeof w);
    crypto_wipe(s, sizeof s);
}

void crypto_sha256_init(crypto_sha256_ctx *c)
{
    static const uint32_t iv[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
    };
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->fill = 0;
}

void crypto_sha256_update(crypto_sha256_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (len == 0) {
        return; /* data may be NULL */
    }
    c->len += len;
    if (c->fill != 0) {
        size_t take = 64u - c->fill;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill < 64u) {
            return;
        }
        sha256_block(c->h, c->buf);
        c->fill = 0;
    }
    while (len >= 64u) {
        sha256_block(c->h, p);
        p += 64;
        len -= 64;
    }
    if (len != 0) {
        memcpy(c->buf, p, len);
        c->fill = len;
    }
}

void crypto_sha256_final(crypto_sha256_ctx *c, uint8_t out[32])
{
    uint64_t bits = c->len << 3;
    size_t n = c->fill;
    c->buf[n++] = 0x80;
    if (n > 56u) {
        memset(c->buf + n, 0, 64u - n);
        sha256_block(c->h, c->buf);
        n = 0;
    }
    memset(c->buf + n, 0, 56u - n);
    store_be32(c->buf + 56, (uint32_t)(bits >> 32));
    store_be32(c->buf + 60, (uint32_t)bits);
    sha256_block(c->h, c->buf);
    for (unsigned i = 0; i < 8; i++) {
        store_be32(out + 4 * i, c->h[i]);
    }
    crypto_wipe(c, sizeof *c);
}

void crypto_sha256(const void *data, size_t len, uint8_t out[32])
{
    crypto_sha256_ctx c;
    crypto_sha256_init(&c);
    crypto_sha256_update(&c, data, len);
    crypto_sha256_final(&c, out);
}
