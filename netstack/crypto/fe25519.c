/*
 * fe25519.c - GF(2^255 - 19) in ten limbs of 25.5 bits; see fe25519.h for the
 * representation and the bounds each function keeps.
 *
 * The multiplication is written out term by term: at -Os a loop over limb
 * indexes would keep the 64-bit column sums in memory, while straight-line code
 * compiles to SMLALs (Cortex-M) or MUL/MULH pairs (RV32). On ARMv7-M the
 * generated assembly in fe25519_armv7m.c replaces mul and sq (same arithmetic).
 *
 * Signed right shifts of negative values are arithmetic on every compiler we
 * build with (gcc, clang: documented implementation-defined behaviour); left
 * shifts of possibly negative carries are written as multiplications, which is
 * defined, and compile to shifts.
 */
#include "fe25519.h"

#include "ct.h"

/* Straight-line code for the small loops: at -Os gcc would otherwise keep
 * them rolled, and their counters cost as much as the work. */
#if defined(__GNUC__)
#define FE_INLINE static inline __attribute__((always_inline))
#define FE_UNROLL _Pragma("GCC unroll 10")
#else
#define FE_INLINE static inline
#define FE_UNROLL
#endif

void fe25519_0(fe25519 h)
{
    for (int i = 0; i < 10; i++) {
        h[i] = 0;
    }
}

void fe25519_1(fe25519 h)
{
    fe25519_0(h);
    h[0] = 1;
}

void fe25519_copy(fe25519 h, const fe25519 f)
{
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        h[i] = f[i];
    }
}

void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g)
{
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        h[i] = f[i] + g[i];
    }
}

void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g)
{
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        h[i] = f[i] - g[i];
    }
}

void fe25519_addsub(fe25519 s, fe25519 d, const fe25519 f, const fe25519 g)
{
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        int32_t a = f[i], b = g[i];
        s[i] = a + b;
        d[i] = a - b;
    }
}

void fe25519_neg(fe25519 h, const fe25519 f)
{
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        h[i] = -f[i];
    }
}

/* Carry limb a into limb b, leaving a centred in [-2^(bits-1), 2^(bits-1)).
 * Rounding to nearest (the + 2^(bits-1)) rather than flooring halves the limb
 * magnitudes, which is what lets three carried values be summed before a mul. */
#define CARRY32(a, b, bits)                                             \
    do {                                                                \
        int32_t c_ = ((a) + ((int32_t)1 << ((bits) - 1))) >> (bits);    \
        (b) += c_;                                                      \
        (a) -= c_ * ((int32_t)1 << (bits));                             \
    } while (0)

void fe25519_carry(fe25519 h)
{
    int32_t c;
    CARRY32(h[0], h[1], 26);
    CARRY32(h[4], h[5], 26);
    CARRY32(h[1], h[2], 25);
    CARRY32(h[5], h[6], 25);
    CARRY32(h[2], h[3], 26);
    CARRY32(h[6], h[7], 26);
    CARRY32(h[3], h[4], 25);
    CARRY32(h[7], h[8], 25);
    CARRY32(h[4], h[5], 26);
    CARRY32(h[8], h[9], 26);
    c = (h[9] + ((int32_t)1 << 24)) >> 25;
    h[0] += c * 19;
    h[9] -= c * ((int32_t)1 << 25);
    CARRY32(h[0], h[1], 26);
}

/* Column k of a product is a sum of ten (mul) or about five (sq) 64-bit
 * products. Each column is finished as soon as it is summed: its carry (rounded,
 * so the limb left behind is centred) starts the next column's sum. The carry
 * out of limb 9 weighs 2^255 = 19 (mod p) and goes back into limbs 0 and 1.
 * Carrying while summing keeps one 64-bit accumulator live instead of ten. */
FE_INLINE void fe25519_finish(fe25519 h, int64_t c, int32_t h0, int32_t h1, int32_t h2,
                              int32_t h3, int32_t h4, int32_t h5, int32_t h6, int32_t h7,
                              int32_t h8, int32_t h9)
{
    int64_t acc = h0 + c * 19;     /* |c| < 2^38: fits easily */
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h[0] = (int32_t)(acc - c * ((int64_t)1 << 26));
    h[1] = h1 + (int32_t)c;        /* |c| < 2^17: h1 stays "a little over" 2^24 */
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
    h[8] = h8;
    h[9] = h9;
}

#define M(a, b) ((int64_t)(a) * (b))

#if !FE25519_USE_ARMV7M_ASM
void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g)
{
    int32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    int32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    int32_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    int32_t g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
    /* Terms that wrap past 2^255 carry the factor 19; odd x odd limb products
     * land half a bit high and carry a factor 2. Both go on g, so f can stay
     * in registers: with loose inputs 38 * 1.5 * 2^25 < 2^31 still fits. */
    int32_t g1_2 = 2 * g1, g3_2 = 2 * g3, g5_2 = 2 * g5, g7_2 = 2 * g7;
    int32_t g2_19 = 19 * g2, g4_19 = 19 * g4, g6_19 = 19 * g6, g8_19 = 19 * g8;
    int32_t g3_19 = 19 * g3, g5_19 = 19 * g5, g7_19 = 19 * g7, g9_19 = 19 * g9;
    int32_t g1_38 = 38 * g1, g3_38 = 38 * g3, g5_38 = 38 * g5, g7_38 = 38 * g7;
    int32_t g9_38 = 38 * g9;
    int32_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;
    int64_t acc, c;

    acc = M(f0, g0) + M(f1, g9_38) + M(f2, g8_19) + M(f3, g7_38) + M(f4, g6_19) + M(f5,
        g5_38) + M(f6, g4_19) + M(f7, g3_38) + M(f8, g2_19) + M(f9, g1_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h0 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, g1) + M(f1, g0) + M(f2, g9_19) + M(f3, g8_19) + M(f4, g7_19) + M(f5,
        g6_19) + M(f6, g5_19) + M(f7, g4_19) + M(f8, g3_19) + M(f9, g2_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h1 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, g2) + M(f1, g1_2) + M(f2, g0) + M(f3, g9_38) + M(f4, g8_19) + M(f5,
        g7_38) + M(f6, g6_19) + M(f7, g5_38) + M(f8, g4_19) + M(f9, g3_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h2 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9_19) + M(f5, g8_19) +
        M(f6, g7_19) + M(f7, g6_19) + M(f8, g5_19) + M(f9, g4_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h3 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, g4) + M(f1, g3_2) + M(f2, g2) + M(f3, g1_2) + M(f4, g0) + M(f5, g9_38) +
        M(f6, g8_19) + M(f7, g7_38) + M(f8, g6_19) + M(f9, g5_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h4 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) + M(f6,
        g9_19) + M(f7, g8_19) + M(f8, g7_19) + M(f9, g6_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h5 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, g6) + M(f1, g5_2) + M(f2, g4) + M(f3, g3_2) + M(f4, g2) + M(f5, g1_2) +
        M(f6, g0) + M(f7, g9_38) + M(f8, g8_19) + M(f9, g7_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h6 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) + M(f6,
        g1) + M(f7, g0) + M(f8, g9_19) + M(f9, g8_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h7 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, g8) + M(f1, g7_2) + M(f2, g6) + M(f3, g5_2) + M(f4, g4) + M(f5, g3_2) +
        M(f6, g2) + M(f7, g1_2) + M(f8, g0) + M(f9, g9_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h8 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) + M(f6,
        g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h9 = (int32_t)(acc - c * ((int64_t)1 << 25));
    fe25519_finish(h, c, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

void fe25519_sq(fe25519 h, const fe25519 f)
{
    int32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    int32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    /* Each cross product appears twice (factor 2); 38 = 2 * 19 is applied only
     * to odd (25-bit) limbs so the pre-multiplied value still fits 31 bits. */
    int32_t f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
    int32_t f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8, f9_2 = 2 * f9;
    int32_t f6_19 = 19 * f6, f8_19 = 19 * f8;
    int32_t f5_38 = 38 * f5, f7_38 = 38 * f7, f9_38 = 38 * f9;
    int32_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;
    int64_t acc, c;

    acc = M(f0, f0) + M(f1_2, f9_38) + M(f2_2, f8_19) + M(f3_2, f7_38) + M(f4_2, f6_19) +
        M(f5, f5_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h0 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, f1_2) + M(f2, f9_38) + M(f3_2, f8_19) + M(f4, f7_38) + M(f5_2, f6_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h1 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, f2_2) + M(f1, f1_2) + M(f3_2, f9_38) + M(f4_2, f8_19) + M(f5_2, f7_38) +
        M(f6, f6_19);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h2 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, f3_2) + M(f1, f2_2) + M(f4, f9_38) + M(f5_2, f8_19) + M(f6, f7_38);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h3 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, f4_2) + M(f1_2, f3_2) + M(f2, f2) + M(f5_2, f9_38) + M(f6_2, f8_19) +
        M(f7, f7_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h4 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, f5_2) + M(f1, f4_2) + M(f2, f3_2) + M(f6, f9_38) + M(f7_2, f8_19);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h5 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, f6_2) + M(f1_2, f5_2) + M(f2, f4_2) + M(f3, f3_2) + M(f7_2, f9_38) +
        M(f8, f8_19);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h6 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, f7_2) + M(f1, f6_2) + M(f2, f5_2) + M(f3, f4_2) + M(f8, f9_38);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h7 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f0, f8_2) + M(f1_2, f7_2) + M(f2, f6_2) + M(f3_2, f5_2) + M(f4, f4) + M(f9,
        f9_38);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h8 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f0, f9_2) + M(f1, f8_2) + M(f2, f7_2) + M(f3, f6_2) + M(f4, f5_2);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h9 = (int32_t)(acc - c * ((int64_t)1 << 25));
    fe25519_finish(h, c, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

#endif /* !FE25519_USE_ARMV7M_ASM */

void fe25519_mul_small(fe25519 h, const fe25519 f, uint32_t n)
{
    int32_t m = (int32_t)n;
    int32_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;
    int64_t acc, c;
    acc = M(f[0], m);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h0 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f[1], m);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h1 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f[2], m);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h2 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f[3], m);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h3 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f[4], m);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h4 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f[5], m);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h5 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f[6], m);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h6 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f[7], m);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h7 = (int32_t)(acc - c * ((int64_t)1 << 25));
    acc = c + M(f[8], m);
    c = (acc + ((int64_t)1 << 25)) >> 26;
    h8 = (int32_t)(acc - c * ((int64_t)1 << 26));
    acc = c + M(f[9], m);
    c = (acc + ((int64_t)1 << 24)) >> 25;
    h9 = (int32_t)(acc - c * ((int64_t)1 << 25));
    fe25519_finish(h, c, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

#undef M

void fe25519_sqn(fe25519 h, const fe25519 f, unsigned n)
{
    fe25519_sq(h, f);
    while (--n) {
        fe25519_sq(h, h);
    }
}


/* z^(2^250 - 1) and z^11 are shared by the inverse and the square root. The
 * chain: 2^5-1 from z^11 and z^9, then doubling the run of ones
 * (5, 10, 20, 40, 50, 100, 200, 250) by squaring and multiplying. */
static void fe25519_pow2_250_1(fe25519 z250, fe25519 z11, const fe25519 z)
{
    fe25519 t0, t1, t2;
    fe25519_sq(t0, z);             /* z^2 */
    fe25519_sqn(t1, t0, 2);        /* z^8 */
    fe25519_mul(t1, t1, z);        /* z^9 */
    fe25519_mul(z11, t1, t0);      /* z^11 */
    fe25519_sq(t0, z11);           /* z^22 */
    fe25519_mul(t0, t0, t1);       /* z^(2^5 - 1) */
    fe25519_sqn(t1, t0, 5);
    fe25519_mul(t0, t1, t0);       /* z^(2^10 - 1) */
    fe25519_sqn(t1, t0, 10);
    fe25519_mul(t1, t1, t0);       /* z^(2^20 - 1) */
    fe25519_sqn(t2, t1, 20);
    fe25519_mul(t1, t2, t1);       /* z^(2^40 - 1) */
    fe25519_sqn(t1, t1, 10);
    fe25519_mul(t0, t1, t0);       /* z^(2^50 - 1) */
    fe25519_sqn(t1, t0, 50);
    fe25519_mul(t1, t1, t0);       /* z^(2^100 - 1) */
    fe25519_sqn(t2, t1, 100);
    fe25519_mul(t1, t2, t1);       /* z^(2^200 - 1) */
    fe25519_sqn(t1, t1, 50);
    fe25519_mul(z250, t1, t0);     /* z^(2^250 - 1) */
    crypto_wipe(t0, sizeof t0);
    crypto_wipe(t1, sizeof t1);
    crypto_wipe(t2, sizeof t2);
}

void fe25519_invert(fe25519 h, const fe25519 f)
{
    fe25519 t, z11;
    fe25519_pow2_250_1(t, z11, f);
    fe25519_sqn(t, t, 5);          /* z^(2^255 - 2^5) */
    fe25519_mul(h, t, z11);        /* z^(2^255 - 21) = z^(p - 2) */
    crypto_wipe(t, sizeof t);
    crypto_wipe(z11, sizeof z11);
}

void fe25519_pow22523(fe25519 h, const fe25519 f)
{
    fe25519 t, z11;
    fe25519_pow2_250_1(t, z11, f);
    fe25519_sqn(t, t, 2);          /* z^(2^252 - 4) */
    fe25519_mul(h, t, f);          /* z^(2^252 - 3) */
    crypto_wipe(t, sizeof t);
    crypto_wipe(z11, sizeof z11);
}

void fe25519_cmov(fe25519 f, const fe25519 g, uint32_t b)
{
    int32_t mask = (int32_t)(0u - b);
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        f[i] ^= mask & (f[i] ^ g[i]);
    }
}

void fe25519_cswap(fe25519 f, fe25519 g, uint32_t b)
{
    int32_t mask = (int32_t)(0u - b);
    FE_UNROLL
    for (int i = 0; i < 10; i++) {
        int32_t x = mask & (f[i] ^ g[i]);
        f[i] ^= x;
        g[i] ^= x;
    }
}

static uint32_t load32_le(const uint8_t *s)
{
    return (uint32_t)s[0] | ((uint32_t)s[1] << 8) | ((uint32_t)s[2] << 16)
         | ((uint32_t)s[3] << 24);
}

static void store32_le(uint8_t *s, uint32_t w)
{
    s[0] = (uint8_t)w;
    s[1] = (uint8_t)(w >> 8);
    s[2] = (uint8_t)(w >> 16);
    s[3] = (uint8_t)(w >> 24);
}

void fe25519_frombytes(fe25519 h, const uint8_t s[32])
{
    uint32_t w[8];
    for (int i = 0; i < 8; i++) {
        w[i] = load32_le(s + 4 * i);
    }
    w[7] &= 0x7fffffffu;
    h[0] = (int32_t)(w[0] & 0x3ffffffu);
    h[1] = (int32_t)(((w[0] >> 26) | (w[1] << 6)) & 0x1ffffffu);
    h[2] = (int32_t)(((w[1] >> 19) | (w[2] << 13)) & 0x3ffffffu);
    h[3] = (int32_t)(((w[2] >> 13) | (w[3] << 19)) & 0x1ffffffu);
    h[4] = (int32_t)((w[3] >> 6) & 0x3ffffffu);
    h[5] = (int32_t)(w[4] & 0x1ffffffu);
    h[6] = (int32_t)(((w[4] >> 25) | (w[5] << 7)) & 0x3ffffffu);
    h[7] = (int32_t)(((w[5] >> 19) | (w[6] << 13)) & 0x1ffffffu);
    h[8] = (int32_t)(((w[6] >> 12) | (w[7] << 20)) & 0x3ffffffu);
    h[9] = (int32_t)((w[7] >> 6) & 0x1ffffffu);
    /* Unsigned limbs are up to twice the carried bound: centre them. */
    fe25519_carry(h);
}

void fe25519_tobytes(uint8_t s[32], const fe25519 f)
{
    int32_t h[10];
    int32_t q;
    fe25519_copy(h, f);
    fe25519_carry(h);
    /* Now |value| < 2^254 + small < p. Adding p (limb-wise: 2^26 - 19, then
     * 2^25 - 1, 2^26 - 1, ...) puts it in [0, 2p) without changing the residue.
     * Then q = floor((value + 19) / 2^255), in {0, 1}, is the multiple of p to
     * remove; a flooring carry chain that only propagates computes it exactly. */
    h[0] += (1 << 26) - 19;
    for (int i = 1; i < 10; i++) {
        h[i] += (i & 1) ? (1 << 25) - 1 : (1 << 26) - 1;
    }
    q = (h[0] + 19) >> 26;
    q = (h[1] + q) >> 25;
    q = (h[2] + q) >> 26;
    q = (h[3] + q) >> 25;
    q = (h[4] + q) >> 26;
    q = (h[5] + q) >> 25;
    q = (h[6] + q) >> 26;
    q = (h[7] + q) >> 25;
    q = (h[8] + q) >> 26;
    q = (h[9] + q) >> 25;
    /* value - q p = value + 19 q - q 2^255: add 19 q, carry with floors so every
     * limb ends in [0, 2^bits), and drop the carry out of limb 9 (it is q). */
    h[0] += 19 * q;
    for (int i = 0; i < 9; i++) {
        int bits = (i & 1) ? 25 : 26;
        int32_t c = h[i] >> bits;
        h[i + 1] += c;
        h[i] -= c * ((int32_t)1 << bits);
    }
    h[9] &= 0x1ffffff;
    uint32_t u[10];
    for (int i = 0; i < 10; i++) {
        u[i] = (uint32_t)h[i];
    }
    store32_le(s + 0, u[0] | (u[1] << 26));
    store32_le(s + 4, (u[1] >> 6) | (u[2] << 19));
    store32_le(s + 8, (u[2] >> 13) | (u[3] << 13));
    store32_le(s + 12, (u[3] >> 19) | (u[4] << 6));
    store32_le(s + 16, u[5] | (u[6] << 25));
    store32_le(s + 20, (u[6] >> 7) | (u[7] << 19));
    store32_le(s + 24, (u[7] >> 13) | (u[8] << 12));
    store32_le(s + 28, (u[8] >> 20) | (u[9] << 6));
    crypto_wipe(h, sizeof h);
    crypto_wipe(u, sizeof u);
}

uint32_t fe25519_iszero(const fe25519 f)
{
    uint8_t s[32];
    uint32_t acc = 0;
    fe25519_tobytes(s, f);
    for (int i = 0; i < 32; i++) {
        acc |= s[i];
    }
    crypto_wipe(s, sizeof s);
    return crypto_ct_mask_zero32(acc) & 1u;
}

uint32_t fe25519_isodd(const fe25519 f)
{
    uint8_t s[32];
    fe25519_tobytes(s, f);
    uint32_t r = s[0] & 1u;
    crypto_wipe(s, sizeof s);
    return r;
}
