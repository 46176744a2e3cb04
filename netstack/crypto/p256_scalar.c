#include "p256_scalar.h"

#include <string.h>

#include "bignum.h"

const p256_sc p256_n = {
    0xFC632551u, 0xF3B9CAC2u, 0xA7179E84u, 0xBCE6FAADu,
    0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000000u, 0xFFFFFFFFu,
};

/* -n^-1 mod 2^32 and R^2 mod n for R = 2^256: Montgomery constants. */
#define N0INV 0xEE00BC4Fu
static const p256_sc r2_mod_n = {
    0xBE79EEA2u, 0x83244C95u, 0x49BD6FA6u, 0x4699799Cu,
    0x2B6BEC59u, 0x2845B239u, 0xF3D95620u, 0x66E12D94u,
};

/* n - 2, the Fermat exponent, as 4-bit digits from the most significant. */
static const uint8_t n_minus_2[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F,
};

static void mont(p256_sc r, const p256_sc a, const p256_sc b)
{
    bn_montmul(r, a, b, p256_n, N0INV, 8);
}

uint32_t p256_sc_from_bytes(p256_sc r, const uint8_t in[32])
{
    uint32_t t[8];
    bn_from_bytes(t, 8, in, 32);
    uint32_t lt = bn_lt(t, p256_n, 8);
    uint32_t u[8];
    bn_sub(u, t, p256_n, 8);
    bn_cmov(t, u, 8, lt ^ 1u);
    memcpy(r, t, sizeof(t));
    return lt;
}

void p256_sc_to_bytes(uint8_t out[32], const p256_sc a)
{
    bn_to_bytes(out, 32, a, 8);
}

void p256_sc_from_hash(p256_sc r, const uint8_t *hash, size_t hash_len)
{
    uint8_t buf[32];
    if (hash_len >= 32) {
        memcpy(buf, hash, 32);
    } else {
        memset(buf, 0, 32 - hash_len);
        memcpy(buf + 32 - hash_len, hash, hash_len);
    }
    (void)p256_sc_from_bytes(r, buf);
}

void p256_sc_add(p256_sc r, const p256_sc a, const p256_sc b)
{
    bn_mod_add(r, a, b, p256_n, 8);
}

void p256_sc_mul(p256_sc r, const p256_sc a, const p256_sc b)
{
    /* mont(a, b) = ab/R; a second product with R^2 brings it back to ab. */
    p256_sc t;
    mont(t, a, b);
    mont(r, t, r2_mod_n);
}

void p256_sc_inv(p256_sc r, const p256_sc a)
{
    p256_sc table[16]; /* a^i in Montgomery form, i = 0..15 */
    p256_sc acc;
    static const p256_sc one = {1, 0, 0, 0, 0, 0, 0, 0};
    mont(table[0], one, r2_mod_n);
    mont(table[1], a, r2_mod_n);
    for (int i = 2; i < 16; i++) {
        mont(table[i], table[i - 1], table[1]);
    }
    memcpy(acc, table[0], sizeof(acc));
    for (int i = 0; i < 64; i++) {
        unsigned digit = (n_minus_2[i / 2] >> (i % 2 ? 0 : 4)) & 15u;
        if (i > 0) {
            for (int k = 0; k < 4; k++) {
                mont(acc, acc, acc);
            }
        }
        /* The digit is public (a constant): indexing by it leaks nothing. */
        mont(acc, acc, table[digit]);
    }
    mont(r, acc, one);
}

uint32_t p256_sc_is_zero(const p256_sc a)
{
    return bn_is_zero(a, 8);
}

/* x = x / 2 mod n (x < n): add n first when x is odd, keeping the carry. */
static void half_mod_n(uint32_t x[8])
{
    uint32_t carry = 0;
    if (x[0] & 1u) {
        carry = bn_add(x, x, p256_n, 8);
    }
    for (int i = 0; i < 7; i++) {
        x[i] = (x[i] >> 1) | (x[i + 1] << 31);
    }
    x[7] = (x[7] >> 1) | (carry << 31);
}

static void shr1(uint32_t x[8])
{
    for (int i = 0; i < 7; i++) {
        x[i] = (x[i] >> 1) | (x[i + 1] << 31);
    }
    x[7] >>= 1;
}

static int is_one(const uint32_t x[8])
{
    uint32_t acc = x[0] ^ 1u;
    for (int i = 1; i < 8; i++) {
        acc |= x[i];
    }
    return acc == 0;
}

void p256_sc_inv_vartime(p256_sc r, const p256_sc a)
{
    /* Invariants: x1 a = u and x2 a = v (mod n); u, v shrink to 1. */
    uint32_t u[8], v[8], x1[8] = {1}, x2[8] = {0};
    if (bn_is_zero(a, 8)) {
        memset(r, 0, sizeof(p256_sc));
        return;
    }
    memcpy(u, a, sizeof(u));
    memcpy(v, p256_n, sizeof(v));
    while (!is_one(u) && !is_one(v)) {
        while (!(u[0] & 1u)) {
            shr1(u);
            half_mod_n(x1);
        }
        while (!(v[0] & 1u)) {
            shr1(v);
            half_mod_n(x2);
        }
        if (!bn_lt(u, v, 8)) {
            bn_sub(u, u, v, 8);
            bn_mod_sub(x1, x1, x2, p256_n, 8);
        } else {
            bn_sub(v, v, u, 8);
            bn_mod_sub(x2, x2, x1, p256_n, 8);
        }
    }
    memcpy(r, is_one(u) ? x1 : x2, sizeof(p256_sc));
}
