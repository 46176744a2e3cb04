/*
 * sha512.c - SHA-512 and SHA-384 on 64-bit arithmetic. On 32-bit cores the
 * compiler splits each 64-bit operation into register pairs; that is slower than
 * hand-written 32-bit halves but small, and SHA-384 only hashes TLS transcripts
 * and HKDF inputs. One rolled round loop over a 16-word circular schedule.
 */
#include "sha512.h"

#include <string.h>

#include "ct.h"

static const uint64_t K512[80] = {
    0x428a2f98d728ae22u, 0x7137449123ef65cdu, 0xb5c0fbcfec4d3b2fu, 0xe9b5dba58189dbbcu,
    0x3956c25bf348b538u, 0x59f111f1b605d019u, 0x923f82a4af194f9bu, 0xab1c5ed5da6d8118u,
    0xd807aa98a3030242u, 0x12835b0145706fbeu, 0x243185be4ee4b28cu, 0x550c7dc3d5ffb4e2u,
    0x72be5d74f27b896fu, 0x80deb1fe3b1696b1u, 0x9bdc06a725c71235u, 0xc19bf174cf692694u,
    0xe49b69c19ef14ad2u, 0xefbe4786384f25e3u, 0x0fc19dc68b8cd5b5u, 0x240ca1cc77ac9c65u,
    0x2de92c6f592b0275u, 0x4a7484aa6ea6e483u, 0x5cb0a9dcbd41fbd4u, 0x76f988da831153b5u,
    0x983e5152ee66dfabu, 0xa831c66d2db43210u, 0xb00327c898fb213fu, 0xbf597fc7beef0ee4u,
    0xc6e00bf33da88fc2u, 0xd5a79147930aa725u, 0x06ca6351e003826fu, 0x142929670a0e6e70u,
    0x27b70a8546d22ffcu, 0x2e1b21385c26c926u, 0x4d2c6dfc5ac42aedu, 0x53380d139d95b3dfu,
    0x650a73548baf63deu, 0x766a0abb3c77b2a8u, 0x81c2c92e47edaee6u, 0x92722c851482353bu,
    0xa2bfe8a14cf10364u, 0xa81a664bbc423001u, 0xc24b8b70d0f89791u, 0xc76c51a30654be30u,
    0xd192e819d6ef5218u, 0xd69906245565a910u, 0xf40e35855771202au, 0x106aa07032bbd1b8u,
    0x19a4c116b8d2d0c8u, 0x1e376c085141ab53u, 0x2748774cdf8eeb99u, 0x34b0bcb5e19b48a8u,
    0x391c0cb3c5c95a63u, 0x4ed8aa4ae3418acbu, 0x5b9cca4f7763e373u, 0x682e6ff3d6b2b8a3u,
    0x748f82ee5defb2fcu, 0x78a5636f43172f60u, 0x84c87814a1f0ab72u, 0x8cc702081a6439ecu,
    0x90befffa23631e28u, 0xa4506cebde82bde9u, 0xbef9a3f7b2c67915u, 0xc67178f2e372532bu,
    0xca273eceea26619cu, 0xd186b8c721c0c207u, 0xeada7dd6cde0eb1eu, 0xf57d4f7fee6ed178u,
    0x06f067aa72176fbau, 0x0a637dc5a2c898a6u, 0x113f9804bef90daeu, 0x1b710b35131c471bu,
    0x28db77f523047d84u, 0x32caab7b40c72493u, 0x3c9ebe0a15c9bebcu, 0x431d67c49c100d4cu,
    0x4cc5d4becb3e42b6u, 0x597f299cfc657e2au, 0x5fcb6fab3ad6faecu, 0x6c44198c4a475817u,
};

static inline uint64_t ror64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64u - n));
}

static inline uint64_t load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    }
}

/* The working variables a..h stay in place in s[]; round i finds a at
 * s[(0 - i) & 7], b at s[(1 - i) & 7], ..., so no variable is ever moved: the
 * new a is written over the old h's slot and d += t1 in place. */
#define S(j) s[((j) - i) & 7u]

static void sha512_block(uint64_t h[8], const uint8_t *p)
{
    uint64_t w[16];
    uint64_t s[8];
    memcpy(s, h, sizeof s);
    for (unsigned i = 0; i < 80; i++) {
        uint64_t wi;
        if (i < 16) {
            wi = load_be64(p + 8 * i);
        } else {
            uint64_t w15 = w[(i - 15) & 15];
            uint64_t w2 = w[(i - 2) & 15];
            uint64_t s0 = ror64(w15, 1) ^ ror64(w15, 8) ^ (w15 >> 7);
            uint64_t s1 = ror64(w2, 19) ^ ror64(w2, 61) ^ (w2 >> 6);
            wi = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
        }
        w[i & 15] = wi;
        const uint64_t e = S(4), f = S(5), g = S(6);
        uint64_t t1 = S(7) + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) +
                      (g ^ (e & (f ^ g))) + K512[i] + wi;
        const uint64_t a = S(0), b = S(1), c = S(2);
        uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) | (c & (a | b)));
        S(3) += t1;
        S(7) = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++) {
        h[i] += s[i];
    }
    crypto_wipe(w, sizeof w);
    crypto_wipe(s, sizeof s);
}

#undef S

static void sha512_start(crypto_sha512_ctx *c, const uint64_t iv[8])
{
    memcpy(c->h, iv, 8 * sizeof iv[0]);
    c->len = 0;
    c->fill = 0;
}

void crypto_sha512_init(crypto_sha512_ctx *c)
{
    static const uint64_t iv[8] = {
        0x6a09e667f3bcc908u, 0xbb67ae8584caa73bu, 0x3c6ef372fe94f82bu, 0xa54ff53a5f1d36f1u,
        0x510e527fade682d1u, 0x9b05688c2b3e6c1fu, 0x1f83d9abfb41bd6bu, 0x5be0cd19137e2179u,
    };
    sha512_start(c, iv);
}

void crypto_sha384_init(crypto_sha512_ctx *c)
{
    static const uint64_t iv[8] = {
        0xcbbb9d5dc1059ed8u, 0x629a292a367cd507u, 0x9159015a3070dd17u, 0x152fecd8f70e5939u,
        0x67332667ffc00b31u, 0x8eb44a8768581511u, 0xdb0c2e0d64f98fa7u, 0x47b5481dbefa4fa4u,
    };
    sha512_start(c, iv);
}

void crypto_sha512_update(crypto_sha512_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (len == 0) {
        return; /* data may be NULL */
    }
    c->len += len;
    if (c->fill != 0) {
        size_t take = 128u - c->fill;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill < 128u) {
            return;
        }
        sha512_block(c->h, c->buf);
        c->fill = 0;
    }
    while (len >= 128u) {
        sha512_block(c->h, p);
        p += 128;
        len -= 128;
    }
    if (len != 0) {
        memcpy(c->buf, p, len);
        c->fill = len;
    }
}

void crypto_sha384_update(crypto_sha512_ctx *c, const void *data, size_t len)
{
    crypto_sha512_update(c, data, len);
}

/* Pad, compress the last block(s) and write the first out_len bytes of h. */
static void sha512_finish(crypto_sha512_ctx *c, uint8_t *out, size_t out_len)
{
    size_t n = c->fill;
    c->buf[n++] = 0x80;
    if (n > 112u) {
        memset(c->buf + n, 0, 128u - n);
        sha512_block(c->h, c->buf);
        n = 0;
    }
    memset(c->buf + n, 0, 120u - n); /* the high 64 bits of the 128-bit length are 0 */
    store_be64(c->buf + 120, c->len << 3);
    sha512_block(c->h, c->buf);
    uint8_t full[64];
    for (unsigned i = 0; i < 8; i++) {
        store_be64(full + 8 * i, c->h[i]);
    }
    memcpy(out, full, out_len);
    crypto_wipe(full, sizeof full);
    crypto_wipe(c, sizeof *c);
}

void crypto_sha512_final(crypto_sha512_ctx *c, uint8_t out[64])
{
    sha512_finish(c, out, 64);
}

void crypto_sha384_final(crypto_sha512_ctx *c, uint8_t out[48])
{
    sha512_finish(c, out, 48);
}

void crypto_sha512(const void *data, size_t len, uint8_t out[64])
{
    crypto_sha512_ctx c;
    crypto_sha512_init(&c);
    crypto_sha512_update(&c, data, len);
    crypto_sha512_final(&c, out);
}

void crypto_sha384(const void *data, size_t len, uint8_t out[48])
{
    crypto_sha512_ctx c;
    crypto_sha384_init(&c);
    crypto_sha512_update(&c, data, len);
    crypto_sha384_final(&c, out);
}
