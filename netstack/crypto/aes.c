/*
 * aes.c - bitsliced, table-free AES encryption for 32-bit cores.
 *
 * State layout (two blocks b = 0, 1): q[k] holds bit k of all 32 state bytes;
 * the byte in row r, column c of block b sits at bit 8r + 2c + b. So each row
 * is one byte lane of every word, which makes
 *   - MixColumns a matter of word rotations by 8 and 16 (row r+1, r+2), and
 *   - ShiftRows a rotation of byte lane r by 2r bits.
 * Converting 32 bytes to this layout is an 8x8 bit transpose inside each byte
 * lane, done with three rounds of swapmoves; it is its own inverse.
 *
 * ShiftRows is never applied during the rounds ("fixslicing", after
 * Adomnicai and Peyrin, 2020): after i rounds the stored state is the true
 * state with row r rotated back by i*r columns. MixColumns then has to combine
 * row r with row r+d taken d*i columns further on; with i mod 4 = k that is
 * one extra rotation inside every byte lane (by 2k bits, and by 4k for row
 * r+2), free for k = 0 and cheaper than ShiftRows otherwise. The round keys
 * are stored pre-rotated the same way, and after the last round a single
 * ShiftRows^rounds (identity or one delta swap) puts the rows back.
 *
 * The S-box is Boyar and Peralta's 113-gate circuit for the AES S-box
 * (J. Boyar, R. Peralta, "A small depth-16 circuit for the AES S-box", 2012),
 * written out here gate by gate; the tests check it against all 256 inputs
 * through the cipher itself.
 */
#include "aes.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "sym_bytes.h"

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> (n & 31u)) | (x << ((32u - n) & 31u));
}

#define SWAPMOVE(a, b, mask, n)                                                               \
    do {                                                                                      \
        uint32_t t_ = (((a) >> (n)) ^ (b)) & (mask);                                          \
        (b) ^= t_;                                                                            \
        (a) ^= t_ << (n);                                                                     \
    } while (0)

/* Transpose the 8x8 bit matrix in each byte lane of x[0..8): afterwards bit
 * 8r + j of x[k] is what bit 8r + k of x[j] was. An involution. */
static void ortho(uint32_t x[8])
{
    uint32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
    uint32_t x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
    SWAPMOVE(x0, x1, 0x55555555u, 1);
    SWAPMOVE(x2, x3, 0x55555555u, 1);
    SWAPMOVE(x4, x5, 0x55555555u, 1);
    SWAPMOVE(x6, x7, 0x55555555u, 1);
    SWAPMOVE(x0, x2, 0x33333333u, 2);
    SWAPMOVE(x1, x3, 0x33333333u, 2);
    SWAPMOVE(x4, x6, 0x33333333u, 2);
    SWAPMOVE(x5, x7, 0x33333333u, 2);
    SWAPMOVE(x0, x4, 0x0f0f0f0fu, 4);
    SWAPMOVE(x1, x5, 0x0f0f0f0fu, 4);
    SWAPMOVE(x2, x6, 0x0f0f0f0fu, 4);
    SWAPMOVE(x3, x7, 0x0f0f0f0fu, 4);
    x[0] = x0;
    x[1] = x1;
    x[2] = x2;
    x[3] = x3;
    x[4] = x4;
    x[5] = x5;
    x[6] = x6;
    x[7] = x7;
}

/* Swap bit i with bit i + n for every i set in mask. */
static inline uint32_t delta_swap(uint32_t x, uint32_t mask, unsigned n)
{
    uint32_t t = (x ^ (x >> n)) & mask;
    return x ^ t ^ (t << n);
}

/* ShiftRows: row r (byte lane r) moves left by r columns (2 bits per column).
 * Each rotation is built from column swaps: writing c = 2 c1 + c0,
 *   row 1 (c -> c-1): swap 0,1 and 2,3, then swap columns 1,3;
 *   row 2 (c -> c-2): swap 0,2 and 1,3;
 *   row 3 (c -> c-3 = c+1): swap columns 1,3, then swap 0,1 and 2,3;
 * and swaps at the same distance in different lanes share one delta swap:
 * three per word instead of masking out six shifted pieces. */
static inline uint32_t shift_rows_word(uint32_t x)
{
    x = delta_swap(x, 0x0c0f0000u, 4); /* lane 3: cols 1<->3; lane 2: 0<->2, 1<->3 */
    x = delta_swap(x, 0x33003300u, 2); /* lanes 1, 3: 0<->1, 2<->3 */
    return delta_swap(x, 0x00000c00u, 4); /* lane 1: cols 1<->3 */
}

/* The AES S-box on all 32 bytes at once, less its affine constant: the result
 * is S(x) ^ 0x63. Circuit inputs U0..U7 are bits 7..0. The constant is added
 * through the round keys instead (see crypto_aes_init): MixColumns maps a
 * column of four equal bytes to itself, and the rotations of a state whose
 * bytes are all 0x63 change nothing, so it passes through the rounds intact. */
static void sub_bytes(uint32_t q[8])
{
    const uint32_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
    const uint32_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];

    /* top linear layer */
    uint32_t t1 = u0 ^ u3, t2 = u0 ^ u5, t3 = u0 ^ u6, t4 = u3 ^ u5, t5 = u4 ^ u6;
    uint32_t t6 = t1 ^ t5, t7 = u1 ^ u2, t8 = u7 ^ t6, t9 = u7 ^ t7, t10 = t6 ^ t7;
    uint32_t t11 = u1 ^ u5, t12 = u2 ^ u5, t13 = t3 ^ t4, t14 = t6 ^ t11, t15 = t5 ^ t11;
    uint32_t t16 = t5 ^ t12, t17 = t9 ^ t16, t18 = u3 ^ u7, t19 = t7 ^ t18, t20 = t1 ^ t19;
    uint32_t t21 = u6 ^ u7, t22 = t7 ^ t21, t23 = t2 ^ t22, t24 = t2 ^ t10, t25 = t20 ^ t17;
    uint32_t t26 = t3 ^ t16, t27 = t1 ^ t12;

    /* shared non-linear middle: inversion in GF(2^8) via GF(2^4) */
    uint32_t m1 = t13 & t6, m2 = t23 & t8, m3 = t14 ^ m1, m4 = t19 & u7, m5 = m4 ^ m1;
    uint32_t m6 = t3 & t16, m7 = t22 & t9, m8 = t26 ^ m6, m9 = t20 & t17, m10 = m9 ^ m6;
    uint32_t m11 = t1 & t15, m12 = t4 & t27, m13 = m12 ^ m11, m14 = t2 & t10;
    uint32_t m15 = m14 ^ m11, m16 = m3 ^ m2, m17 = m5 ^ t24, m18 = m8 ^ m7, m19 = m10 ^ m15;
    uint32_t m20 = m16 ^ m13, m21 = m17 ^ m15, m22 = m18 ^ m13, m23 = m19 ^ t25;
    uint32_t m24 = m22 ^ m23, m25 = m22 & m20, m26 = m21 ^ m25, m27 = m20 ^ m21;
    uint32_t m28 = m23 ^ m25, m29 = m28 & m27, m30 = m26 & m24, m31 = m20 & m23;
    uint32_t m32 = m27 & m31, m33 = m27 ^ m25, m34 = m21 & m22, m35 = m24 & m34;
    uint32_t m36 = m24 ^ m25, m37 = m21 ^ m29, m38 = m32 ^ m33, m39 = m23 ^ m30;
    uint32_t m40 = m35 ^ m36, m41 = m38 ^ m40, m42 = m37 ^ m39, m43 = m37 ^ m38;
    uint32_t m44 = m39 ^ m40, m45 = m42 ^ m41;
    uint32_t m46 = m44 & t6, m47 = m40 & t8, m48 = m39 & u7, m49 = m43 & t16;
    uint32_t m50 = m38 & t9, m51 = m37 & t17, m52 = m42 & t15, m53 = m45 & t27;
    uint32_t m54 = m41 & t10, m55 = m44 & t13, m56 = m40 & t23, m57 = m39 & t19;
    uint32_t m58 = m43 & t3, m59 = m38 & t22, m60 = m37 & t20, m61 = m42 & t1;
    uint32_t m62 = m45 & t4, m63 = m41 & t2;

    /* bottom linear layer */
    uint32_t l0 = m61 ^ m62, l1 = m50 ^ m56, l2 = m46 ^ m48, l3 = m47 ^ m55;
    uint32_t l4 = m54 ^ m58, l5 = m49 ^ m61, l6 = m62 ^ l5, l7 = m46 ^ l3;
    uint32_t l8 = m51 ^ m59, l9 = m52 ^ m53, l10 = m53 ^ l4, l11 = m60 ^ l2;
    uint32_t l12 = m48 ^ m51, l13 = m50 ^ l0, l14 = m52 ^ m61, l15 = m55 ^ l1;
    uint32_t l16 = m56 ^ l0, l17 = m57 ^ l1, l18 = m58 ^ l8, l19 = m63 ^ l4;
    uint32_t l20 = l0 ^ l1, l21 = l1 ^ l7, l22 = l3 ^ l12, l23 = l18 ^ l2;
    uint32_t l24 = l15 ^ l9, l25 = l6 ^ l10, l26 = l7 ^ l9, l27 = l8 ^ l10;
    uint32_t l28 = l11 ^ l14, l29 = l11 ^ l17;
    q[7] = l6 ^ l24;
    q[6] = l16 ^ l26;
    q[5] = l19 ^ l28;
    q[4] = l6 ^ l21;
    q[3] = l20 ^ l22;
    q[2] = l25 ^ l29;
    q[1] = l13 ^ l27;
    q[0] = l6 ^ l23;
}

/* Rotate x right by 8d bits (row r+d to lane r), then every byte lane right
 * by 2k bits (column c+k to column c). Two rotations of the whole word, each
 * masked to the part of the lanes it supplies; lo/hi are the masks for this k
 * (0xff >> 2k and its complement, in every byte), kept in registers by the
 * caller so that ARM folds each rotation into its AND. */
__attribute__((always_inline)) static inline uint32_t rot_rows(uint32_t x, unsigned d, unsigned k,
                                                               uint32_t lo, uint32_t hi)
{
    k &= 3u;
    if (k == 0) {
        return ror32(x, 8 * d);
    }
    return (ror32(x, 8 * d + 2 * k) & lo) | (ror32(x, 8 * d + 2 * k - 8) & hi);
}

#define LANE_LO(k) ((0xffu >> (2 * ((k) & 3u))) * 0x01010101u)

/* MixColumns on a state whose rows are k ShiftRows behind, then AddRoundKey:
 * out_r = 2 (a_r + a_r+1) + a_r+1 + (a_r+2 + a_r+3), where a_r+d is row r+d
 * taken d*k columns further on. */
__attribute__((always_inline)) static inline void mix_columns_add_key(uint32_t q[8],
                                                                      const uint32_t *rk,
                                                                      unsigned k)
{
    uint32_t lo1 = LANE_LO(k), hi1 = ~LANE_LO(k), lo2 = LANE_LO(2 * k), hi2 = ~LANE_LO(2 * k);
    /* opaque to the optimiser: stay in registers instead of immediates */
    __asm__("" : "+r"(lo1), "+r"(hi1), "+r"(lo2), "+r"(hi2));
    /* Written out word by word: at -Os a loop would park r[] and t[] in memory. */
    const uint32_t r7 = rot_rows(q[7], 1, k, lo1, hi1), t7 = q[7] ^ r7;
    uint32_t r = rot_rows(q[0], 1, k, lo1, hi1), t = q[0] ^ r, tp;
    q[0] = t7 ^ r ^ rot_rows(t, 2, 2 * k, lo2, hi2) ^ rk[0];
#define MIX_ROW(i, extra)                                                                     \
    tp = t;                                                                                   \
    r = rot_rows(q[i], 1, k, lo1, hi1);                                                       \
    t = q[i] ^ r;                                                                             \
    q[i] = tp ^ (extra) ^ r ^ rot_rows(t, 2, 2 * k, lo2, hi2) ^ rk[i]
    MIX_ROW(1, t7);
    MIX_ROW(2, 0);
    MIX_ROW(3, t7);
    MIX_ROW(4, t7);
    MIX_ROW(5, 0);
    MIX_ROW(6, 0);
#undef MIX_ROW
    q[7] = t ^ r7 ^ rot_rows(t7, 2, 2 * k, lo2, hi2) ^ rk[7];
}

/* One variant per k so each rotation is a constant; noinline keeps one copy. */
__attribute__((noinline)) static void mix_k0(uint32_t q[8], const uint32_t *rk)
{
    mix_columns_add_key(q, rk, 0);
}
__attribute__((noinline)) static void mix_k1(uint32_t q[8], const uint32_t *rk)
{
    mix_columns_add_key(q, rk, 1);
}
__attribute__((noinline)) static void mix_k2(uint32_t q[8], const uint32_t *rk)
{
    mix_columns_add_key(q, rk, 2);
}
__attribute__((noinline)) static void mix_k3(uint32_t q[8], const uint32_t *rk)
{
    mix_columns_add_key(q, rk, 3);
}

static void add_round_key(uint32_t q[8], const uint32_t *rk)
{
    q[0] ^= rk[0];
    q[1] ^= rk[1];
    q[2] ^= rk[2];
    q[3] ^= rk[3];
    q[4] ^= rk[4];
    q[5] ^= rk[5];
    q[6] ^= rk[6];
    q[7] ^= rk[7];
}

/* Two blocks in, as 4 little-endian column words each, interleaved x[2c + b]. */
static void load_blocks(uint32_t q[8], const uint8_t *in0, const uint8_t *in1)
{
    for (unsigned c = 0; c < 4; c++) {
        q[2 * c] = sym_load_le32(in0 + 4 * c);
        q[2 * c + 1] = sym_load_le32(in1 + 4 * c);
    }
    ortho(q);
}

static void store_blocks(uint32_t q[8], uint8_t *out0, uint8_t *out1)
{
    ortho(q);
    for (unsigned c = 0; c < 4; c++) {
        sym_store_le32(out0 + 4 * c, q[2 * c]);
        sym_store_le32(out1 + 4 * c, q[2 * c + 1]);
    }
}

static void encrypt_q(const crypto_aes_ctx *c, uint32_t q[8])
{
    const uint32_t *rk = c->rk;
    const uint32_t rounds = c->rounds;
    add_round_key(q, rk);
    /* full rounds 1 .. rounds-1; round i uses the variant for i mod 4 */
    for (uint32_t i = 1;;) {
        sub_bytes(q);
        mix_k1(q, rk + 8 * i);
        if (++i == rounds) {
            break;
        }
        sub_bytes(q);
        mix_k2(q, rk + 8 * i);
        if (++i == rounds) {
            break;
        }
        sub_bytes(q);
        mix_k3(q, rk + 8 * i);
        if (++i == rounds) {
            break;
        }
        sub_bytes(q);
        mix_k0(q, rk + 8 * i);
        if (++i == rounds) {
            break;
        }
    }
    sub_bytes(q);
    /* the rows are rounds - 1 ShiftRows behind and the last round adds one:
     * rounds mod 4 is 2 (rows 1 and 3 move by two columns) or 0 (nothing) */
    if ((rounds & 3u) == 2u) {
        for (unsigned i = 0; i < 8; i++) {
            q[i] = delta_swap(q[i], 0x0f000f00u, 4);
        }
    }
    add_round_key(q, rk + 8 * rounds);
}

/* SubWord for the key schedule: the same circuit, one word in lane 0. */
static uint32_t sub_word(uint32_t w)
{
    uint32_t q[8] = {w, 0, 0, 0, 0, 0, 0, 0};
    ortho(q);
    sub_bytes(q);
    ortho(q);
    w = q[0] ^ 0x63636363u;
    crypto_wipe(q, sizeof q);
    return w;
}

int crypto_aes_init(crypto_aes_ctx *c, const uint8_t *key, size_t key_len)
{
    if (key_len != 16u && key_len != 24u && key_len != 32u) {
        return APG_EINVAL;
    }
    if (key_len * 8u > APOGEE_CRYPTO_AES_MAX_KEY_BITS) {
        return APG_ENOTSUP;
    }
    const unsigned nk = (unsigned)(key_len / 4);
    const unsigned rounds = nk + 6;
    const unsigned total = 4 * (rounds + 1);
    uint32_t w[4 * (CRYPTO_AES_MAX_ROUNDS + 1)]; /* little-endian words: row 0 in bits 0..7 */
    for (unsigned i = 0; i < nk; i++) {
        w[i] = sym_load_le32(key + 4 * i);
    }
    uint32_t rcon = 1;
    for (unsigned i = nk; i < total; i++) {
        uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word(ror32(t, 8)) ^ rcon;
            rcon = (rcon << 1) ^ (0x11bu & (0u - (rcon >> 7)));
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }
    /* Bitslice each round key once, the same key in both block slots. */
    for (unsigned r = 0; r <= rounds; r++) {
        uint32_t *q = c->rk + 8 * r;
        for (unsigned col = 0; col < 4; col++) {
            q[2 * col] = q[2 * col + 1] = w[4 * r + col];
        }
        ortho(q);
        /* every round after the first adds the S-box's affine constant 0x63
         * (bits 0, 1, 5, 6 of every byte) that sub_bytes leaves out */
        if (r != 0) {
            q[0] = ~q[0];
            q[1] = ~q[1];
            q[5] = ~q[5];
            q[6] = ~q[6];
        }
        /* rounds 1 .. rounds-1 see the state r ShiftRows behind: rotate the
         * key the same way, i.e. apply ShiftRows (4 - r mod 4) mod 4 times */
        if (r != rounds) {
            for (unsigned n = (4u - (r & 3u)) & 3u; n != 0; n--) {
                for (unsigned i = 0; i < 8; i++) {
                    q[i] = shift_rows_word(q[i]);
                }
            }
        }
    }
    c->rounds = rounds;
    crypto_wipe(w, sizeof w);
    return APG_OK;
}

void crypto_aes_encrypt2(const crypto_aes_ctx *c, uint8_t out[32], const uint8_t in[32])
{
    uint32_t q[8];
    load_blocks(q, in, in + 16);
    encrypt_q(c, q);
    store_blocks(q, out, out + 16);
    crypto_wipe(q, sizeof q);
}

void crypto_aes_encrypt(const crypto_aes_ctx *c, uint8_t out[16], const uint8_t in[16])
{
    uint8_t two[32];
    memcpy(two, in, 16);
    memset(two + 16, 0, 16);
    crypto_aes_encrypt2(c, two, two);
    memcpy(out, two, 16);
    crypto_wipe(two, sizeof two);
}

void crypto_aes_wipe(crypto_aes_ctx *c)
{
    crypto_wipe(c, sizeof *c);
}
