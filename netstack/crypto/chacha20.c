/*
 * chacha20.c - ChaCha20 for 32-bit cores. The 16 state words live in locals so
 * the compiler can keep most of them in registers (a Cortex-M3 has 13 usable,
 * so a few spill); the round loop is rolled to stay small. Data is XORed a
 * word at a time (sym_bytes.h).
 */
#include "chacha20.h"

#include "ct.h"
#include "sym_bytes.h"

static inline uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

#define QR(a, b, c, d)                                                                        \
    do {                                                                                      \
        a += b; d = rol32(d ^ a, 16);                                                         \
        c += d; b = rol32(b ^ c, 12);                                                         \
        a += b; d = rol32(d ^ a, 8);                                                          \
        c += d; b = rol32(b ^ c, 7);                                                          \
    } while (0)

/* out = in XOR ChaCha20 block function of state s (20 rounds + feed-forward),
 * 64 bytes. Fusing the XOR into the feed-forward keeps the keystream out of
 * memory. For a bare keystream block, in is all zeros. */
static void chacha20_core(uint8_t *out, const uint8_t *in, const uint32_t s[16])
{
    uint32_t x0 = s[0], x1 = s[1], x2 = s[2], x3 = s[3];
    uint32_t x4 = s[4], x5 = s[5], x6 = s[6], x7 = s[7];
    uint32_t x8 = s[8], x9 = s[9], x10 = s[10], x11 = s[11];
    uint32_t x12 = s[12], x13 = s[13], x14 = s[14], x15 = s[15];
    for (unsigned i = 0; i < 10; i++) {
        QR(x0, x4, x8, x12);
        QR(x1, x5, x9, x13);
        QR(x2, x6, x10, x14);
        QR(x3, x7, x11, x15);
        QR(x0, x5, x10, x15);
        QR(x1, x6, x11, x12);
        QR(x2, x7, x8, x13);
        QR(x3, x4, x9, x14);
    }
#define OUT(i, x) sym_store_le32(out + 4 * (i), sym_load_le32(in + 4 * (i)) ^ ((x) + s[i]))
    OUT(0, x0);
    OUT(1, x1);
    OUT(2, x2);
    OUT(3, x3);
    OUT(4, x4);
    OUT(5, x5);
    OUT(6, x6);
    OUT(7, x7);
    OUT(8, x8);
    OUT(9, x9);
    OUT(10, x10);
    OUT(11, x11);
    OUT(12, x12);
    OUT(13, x13);
    OUT(14, x14);
    OUT(15, x15);
#undef OUT
}

static const uint8_t zero_block[64];

static void chacha20_setup(uint32_t s[16], const uint8_t key[32], const uint8_t nonce[12],
                           uint32_t counter)
{
    s[0] = 0x61707865u; /* "expand 32-byte k" */
    s[1] = 0x3320646eu;
    s[2] = 0x79622d32u;
    s[3] = 0x6b206574u;
    for (unsigned i = 0; i < 8; i++) {
        s[4 + i] = sym_load_le32(key + 4 * i);
    }
    s[12] = counter;
    s[13] = sym_load_le32(nonce);
    s[14] = sym_load_le32(nonce + 4);
    s[15] = sym_load_le32(nonce + 8);
}

void crypto_chacha20_block(uint8_t out[64], const uint8_t key[32], const uint8_t nonce[12],
                           uint32_t counter)
{
    uint32_t s[16];
    chacha20_setup(s, key, nonce, counter);
    chacha20_core(out, zero_block, s);
    crypto_wipe(s, sizeof s);
}

void crypto_chacha20(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32],
                     const uint8_t nonce[12], uint32_t counter)
{
    uint32_t s[16];
    chacha20_setup(s, key, nonce, counter);
    while (len >= 64u) {
        chacha20_core(out, in, s);
        s[12]++;
        in += 64;
        out += 64;
        len -= 64;
    }
    if (len != 0) {
        uint8_t tail[64];
        chacha20_core(tail, zero_block, s);
        for (size_t i = 0; i < len; i++) {
            out[i] = in[i] ^ tail[i];
        }
        crypto_wipe(tail, sizeof tail);
    }
    crypto_wipe(s, sizeof s);
}
