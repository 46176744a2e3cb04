#include "bignum.h"

#include <string.h>

int bn_from_bytes(uint32_t *r, size_t n, const uint8_t *in, size_t len)
{
    uint8_t extra = 0;
    memset(r, 0, n * sizeof(uint32_t));
    for (size_t i = 0; i < len; i++) {
        size_t bit = i * 8; /* position of byte in[len-1-i] */
        uint8_t b = in[len - 1 - i];
        if (bit / 32 < n) {
            r[bit / 32] |= (uint32_t)b << (bit % 32);
        } else {
            extra |= b;
        }
    }
    return extra ? -1 : 0;
}

void bn_to_bytes(uint8_t *out, size_t len, const uint32_t *a, size_t n)
{
    for (size_t i = 0; i < len; i++) {
        size_t bit = i * 8;
        out[len - 1 - i] = bit / 32 < n ? (uint8_t)(a[bit / 32] >> (bit % 32)) : 0;
    }
}

uint32_t bn_add(uint32_t *r, const uint32_t *a, const uint32_t *b, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        c += (uint64_t)a[i] + b[i];
        r[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

uint32_t bn_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, size_t n)
{
    uint32_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = (uint64_t)a[i] - b[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow;
}

uint32_t bn_lt(const uint32_t *a, const uint32_t *b, size_t n)
{
    uint32_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = (uint64_t)a[i] - b[i] - borrow;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow;
}

uint32_t bn_is_zero(const uint32_t *a, size_t n)
{
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++) {
        x |= a[i];
    }
    return (uint32_t)(((uint64_t)x - 1u) >> 63);
}

void bn_cmov(uint32_t *r, const uint32_t *a, size_t n, uint32_t ctl)
{
    uint32_t m = 0u - ctl;
    for (size_t i = 0; i < n; i++) {
        r[i] ^= m & (r[i] ^ a[i]);
    }
}

void bn_ct_select(uint32_t *r, const uint32_t *table, size_t count, size_t n, size_t idx)
{
    memset(r, 0, n * sizeof(uint32_t));
    for (size_t k = 0; k < count; k++) {
        uint32_t d = (uint32_t)(k ^ idx);
        uint32_t hit = (uint32_t)(((uint64_t)d - 1u) >> 63); /* 1 when k == idx */
        bn_cmov(r, table + k * n, n, hit);
    }
}

size_t bn_bitlen_public(const uint32_t *a, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (a[i] != 0) {
            size_t b = 32;
            while (!(a[i] >> (b - 1))) {
                b--;
            }
            return i * 32 + b;
        }
    }
    return 0;
}

void bn_mod_add(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m, size_t n)
{
    uint32_t t[BN_MAX_LIMBS];
    uint32_t c = bn_add(r, a, b, n);
    uint32_t br = bn_sub(t, r, m, n);
    /* a + b - m is right when it did not borrow, or when the carry out of the
     * addition absorbs the borrow. */
    bn_cmov(r, t, n, c | (br ^ 1u));
}

void bn_mod_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m, size_t n)
{
    uint32_t t[BN_MAX_LIMBS];
    uint32_t br = bn_sub(r, a, b, n);
    bn_add(t, r, m, n);
    bn_cmov(r, t, n, br);
}

/* r = 2 r mod m, for r < m. */
static void mod_double(uint32_t *r, const uint32_t *m, size_t n)
{
    bn_mod_add(r, r, r, m, n);
}

/*
 * One row of the FIOS loop below, for j = 1..count: with carries c1 (of the
 * a b column) and c2 (of the q m column),
 *     (c1, lo)      = a[j] bi + t[j] + c1
 *     (c2, t[j-1])  = q m[j] + lo + c2
 * a and m point at a[1] and m[1]. Straight arithmetic, no data-dependent branch.
 */
#if defined(__thumb2__) && (defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__))
static void fios_row(uint32_t *t, const uint32_t *a, const uint32_t *m, size_t count,
                     uint32_t bi, uint32_t q, uint32_t *c1, uint32_t *c2)
{
    /* Cortex-M3: umlal does the 64-bit multiply-accumulate, 14 instructions a
     * step against about 21 for what the compiler makes of the C. */
    uint32_t k1 = *c1, k2 = *c2, x, y, hi;
    __asm__ volatile(
        "1:\n\t"
        "ldr %[x], [%[a]], #4\n\t"
        "ldr %[y], [%[t], #4]\n\t"
        "mov %[hi], #0\n\t"
        "umlal %[y], %[hi], %[x], %[bi]\n\t"
        "adds %[y], %[y], %[k1]\n\t"
        "adc %[k1], %[hi], #0\n\t"
        "ldr %[x], [%[m]], #4\n\t"
        "mov %[hi], #0\n\t"
        "umlal %[y], %[hi], %[x], %[q]\n\t"
        "adds %[y], %[y], %[k2]\n\t"
        "adc %[k2], %[hi], #0\n\t"
        "str %[y], [%[t]], #4\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [a] "+r"(a), [m] "+r"(m), [t] "+r"(t), [n] "+r"(count), [k1] "+r"(k1),
          [k2] "+r"(k2), [x] "=&r"(x), [y] "=&r"(y), [hi] "=&r"(hi)
        : [bi] "r"(bi), [q] "r"(q)
        : "cc", "memory");
    *c1 = k1;
    *c2 = k2;
}
#else
static void fios_row(uint32_t *t, const uint32_t *a, const uint32_t *m, size_t count,
                     uint32_t bi, uint32_t q, uint32_t *c1, uint32_t *c2)
{
    uint32_t k1 = *c1, k2 = *c2;
    for (size_t j = 0; j < count; j++) {
        uint64_t p = (uint64_t)a[j] * bi + t[j + 1] + k1;
        k1 = (uint32_t)(p >> 32);
        uint64_t s = (uint64_t)q * m[j] + (uint32_t)p + k2;
        k2 = (uint32_t)(s >> 32);
        t[j] = (uint32_t)s;
    }
    *c1 = k1;
    *c2 = k2;
}
#endif

void bn_montmul(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m,
                uint32_t m0inv, size_t n)
{
    /* FIOS (finely integrated operand scanning): for each limb of b, one pass
     * over j accumulates a[j] b[i] and q m[j] together, q chosen so that the
     * low limb cancels, and shifts t down one limb as it goes. t stays below
     * 2m (n limbs plus a top bit), so one final conditional subtraction lands
     * in [0, m). */
    uint32_t t[BN_MAX_LIMBS + 1];
    memset(t, 0, (n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        uint32_t bi = b[i];
        uint64_t p = (uint64_t)a[0] * bi + t[0];
        uint32_t q = (uint32_t)p * m0inv;
        uint64_t s = (uint64_t)q * m[0] + (uint32_t)p; /* low limb is 0 */
        uint32_t k1 = (uint32_t)(p >> 32);
        uint32_t k2 = (uint32_t)(s >> 32);
        if (n > 1) {
            fios_row(t, a + 1, m + 1, n - 1, bi, q, &k1, &k2);
        }
        p = (uint64_t)t[n] + k1 + k2;
        t[n - 1] = (uint32_t)p;
        t[n] = (uint32_t)(p >> 32);
    }
    uint32_t br = bn_sub(r, t, m, n);
    /* Keep t when t < m: the subtraction borrowed and there was no top limb. */
    bn_cmov(r, t, n, br & (t[n] ^ 1u));
}

void bn_mont_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const struct bn_mont *ctx)
{
    bn_montmul(r, a, b, ctx->m, ctx->m0inv, ctx->n);
}

void bn_mont_to(uint32_t *r, const uint32_t *a, const struct bn_mont *ctx)
{
    bn_mont_mul(r, a, ctx->r2, ctx);
}

void bn_mont_from(uint32_t *r, const uint32_t *a, const struct bn_mont *ctx)
{
    uint32_t one[BN_MAX_LIMBS];
    memset(one, 0, ctx->n * sizeof(uint32_t));
    one[0] = 1;
    bn_mont_mul(r, a, one, ctx);
}

void bn_mont_pow_public(uint32_t *r, const uint32_t *a, const uint8_t *e, size_t elen,
                        const struct bn_mont *ctx)
{
    uint32_t base[BN_MAX_LIMBS];
    uint32_t acc[BN_MAX_LIMBS];
    const size_t n = ctx->n;
    int started = 0;
    bn_mont_to(base, a, ctx);
    for (size_t i = 0; i < elen; i++) {
        for (int bit = 7; bit >= 0; bit--) {
            if (started) {
                bn_mont_mul(acc, acc, acc, ctx);
            }
            if ((e[i] >> bit) & 1u) {
                if (started) {
                    bn_mont_mul(acc, acc, base, ctx);
                } else {
                    memcpy(acc, base, n * sizeof(uint32_t));
                    started = 1;
                }
            }
        }
    }
    if (started) {
        bn_mont_from(r, acc, ctx);
    } else {
        memset(r, 0, n * sizeof(uint32_t));
        r[0] = 1;
    }
}

int bn_mont_init_limbs(struct bn_mont *ctx, const uint32_t *m, size_t n)
{
    if (n == 0 || n > BN_MAX_LIMBS || m[n - 1] == 0 || !(m[0] & 1u) || (n == 1 && m[0] < 3)) {
        return -1;
    }
    memcpy(ctx->m, m, n * sizeof(uint32_t));
    ctx->n = n;

    /* -m^-1 mod 2^32 by Newton's iteration: x = m0 is right to 3 bits for an
     * odd m0, and each step doubles the number of correct bits. */
    uint32_t x = m[0];
    for (int i = 0; i < 4; i++) {
        x *= 2u - m[0] * x;
    }
    ctx->m0inv = 0u - x;

    /* R^2 mod m: start at 2^(bits-1) < m, double up to R = 2^(32n) mod m, then
     * n more times to 2^n R (2^n in Montgomery form), and square that five times
     * in Montgomery form: (2^n)^32 = 2^(32n) = R, whose Montgomery form is R^2. */
    size_t bits = bn_bitlen_public(m, n);
    uint32_t *t = ctx->r2;
    memset(t, 0, n * sizeof(uint32_t));
    t[(bits - 1) / 32] = 1u << ((bits - 1) % 32);
    for (size_t i = 0; i < 32 * n - bits + 1 + n; i++) {
        mod_double(t, m, n);
    }
    uint32_t s[BN_MAX_LIMBS];
    memcpy(s, t, n * sizeof(uint32_t));
    for (int i = 0; i < 5; i++) {
        bn_mont_mul(s, s, s, ctx);
    }
    memcpy(ctx->r2, s, n * sizeof(uint32_t));
    return 0;
}

int bn_mont_init(struct bn_mont *ctx, const uint8_t *m, size_t len)
{
    /* Skip leading zero bytes: the limb count follows the real length. */
    while (len > 0 && m[0] == 0) {
        m++;
        len--;
    }
    size_t n = (len + 3) / 4;
    if (n == 0 || n > BN_MAX_LIMBS) {
        return -1;
    }
    uint32_t limbs[BN_MAX_LIMBS];
    bn_from_bytes(limbs, n, m, len);
    return bn_mont_init_limbs(ctx, limbs, n);
}

/* ---- Private-key arithmetic: constant time in every operand value. ---- */

/* Zero secret temporaries through a volatile pointer, so the stores stay. */
static void wipe_limbs(uint32_t *p, size_t n)
{
    volatile uint32_t *v = p;
    for (size_t i = 0; i < n; i++) {
        v[i] = 0;
    }
}

void bn_mul(uint32_t *r, const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
    memset(r, 0, (an + bn) * sizeof(uint32_t));
    for (size_t i = 0; i < bn; i++) {
        uint32_t carry = 0;
        for (size_t j = 0; j < an; j++) {
            uint64_t p = (uint64_t)a[j] * b[i] + r[i + j] + carry;
            r[i + j] = (uint32_t)p;
            carry = (uint32_t)(p >> 32);
        }
        r[i + an] = carry;
    }
}

/* 1 when x != 0, without a branch. */
static uint32_t nonzero32(uint32_t x)
{
    return (uint32_t)((0u - (uint64_t)x) >> 63);
}

/* 0xFFFFFFFF when a == b, else 0, without a branch. */
static uint32_t mask_eq32(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)(a ^ b) - 1u) >> 32);
}

uint32_t bn_mont_init_secret(struct bn_mont *ctx, const uint32_t *m, size_t n)
{
    if (n == 0 || n > BN_MAX_LIMBS) {
        return 0; /* a length: public */
    }
    memcpy(ctx->m, m, n * sizeof(uint32_t));
    ctx->n = n;
    uint32_t x = m[0];
    for (int i = 0; i < 4; i++) {
        x *= 2u - m[0] * x;
    }
    ctx->m0inv = 0u - x;
    /* m > 1: some limb above the lowest is non-zero, or the lowest is >= 2. */
    uint32_t high = 0;
    for (size_t i = 1; i < n; i++) {
        high |= m[i];
    }
    uint32_t ok = (m[0] & 1u) & nonzero32(m[n - 1]) & (nonzero32(high) | nonzero32(m[0] >> 1));

    /* R^2 mod m without looking at m's bit length: 1 doubled 33n times is
     * 2^(33n) = 2^n R mod m, the Montgomery form of 2^n; five Montgomery
     * squarings give (2^n)^32 = R in Montgomery form, which is R^2 mod m.
     * (bn_mod_add needs its operands below m: 1 < m when ok.) */
    uint32_t *t = ctx->r2;
    memset(t, 0, n * sizeof(uint32_t));
    t[0] = 1;
    for (size_t i = 0; i < 33 * n; i++) {
        mod_double(t, m, n);
    }
    for (int i = 0; i < 5; i++) {
        bn_mont_mul(t, t, t, ctx);
    }
    return ok;
}

void bn_mod_reduce_mont(uint32_t *r, const uint32_t *x, size_t xn, const struct bn_mont *ctx)
{
    /* Horner over n-limb chunks c_k of x from the top, in Montgomery form:
     * acc <- acc R + c_k becomes accM <- mont(accM, R^2) + mont(c_k, R^2).
     * A chunk may exceed m, but below R times R^2 < m keeps Montgomery's
     * result below 2m, which its final subtraction handles. */
    const size_t n = ctx->n;
    uint32_t c[BN_MAX_LIMBS], t[BN_MAX_LIMBS];
    size_t chunks = (xn + n - 1) / n;
    for (size_t k = chunks; k-- > 0;) {
        size_t lo = k * n;
        size_t take = xn - lo < n ? xn - lo : n;
        memset(c, 0, n * sizeof(uint32_t));
        memcpy(c, x + lo, take * sizeof(uint32_t));
        bn_mont_mul(t, c, ctx->r2, ctx);
        if (k == chunks - 1) {
            memcpy(r, t, n * sizeof(uint32_t));
        } else {
            bn_mont_mul(r, r, ctx->r2, ctx);
            bn_mod_add(r, r, t, ctx->m, n);
        }
    }
    wipe_limbs(c, BN_MAX_LIMBS);
    wipe_limbs(t, BN_MAX_LIMBS);
}

/* r = table[idx] out of BN_POW_TABLE_ENTRIES entries of n limbs: like
 * bn_ct_select, every entry read, but one pass over the limbs with the 16
 * masks made once (about half the instructions of 16 bn_cmov calls). */
static void pow_select(uint32_t *r, const uint32_t *table, size_t n, uint32_t idx)
{
    uint32_t mask[BN_POW_TABLE_ENTRIES];
    for (uint32_t k = 0; k < BN_POW_TABLE_ENTRIES; k++) {
        mask[k] = mask_eq32(k, idx);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t acc = 0;
        for (size_t k = 0; k < BN_POW_TABLE_ENTRIES; k++) {
            acc |= table[k * n + i] & mask[k];
        }
        r[i] = acc;
    }
}

void bn_mont_pow_secret(uint32_t *r, const uint32_t *a, const uint32_t *e, size_t e_limbs,
                        const struct bn_mont *ctx, uint32_t *table)
{
    const size_t n = ctx->n;
    uint32_t acc[BN_MAX_LIMBS], t[BN_MAX_LIMBS];
    /* table[i] = a^i in Montgomery form; table[0] = R mod m (one). */
    memset(t, 0, n * sizeof(uint32_t));
    t[0] = 1;
    bn_mont_mul(table, t, ctx->r2, ctx);
    memcpy(table + n, a, n * sizeof(uint32_t));
    for (size_t i = 2; i < BN_POW_TABLE_ENTRIES; i++) {
        bn_mont_mul(table + i * n, table + (i - 1) * n, a, ctx);
    }
    /* Windows from the top; their positions are public, their values are
     * secret and only ever reach the masked selection. */
    size_t windows = e_limbs * 32 / BN_POW_WINDOW;
    for (size_t w = windows; w-- > 0;) {
        size_t bit = w * BN_POW_WINDOW;
        uint32_t idx = (e[bit / 32] >> (bit % 32)) & (BN_POW_TABLE_ENTRIES - 1u);
        pow_select(t, table, n, idx);
        if (w == windows - 1) {
            memcpy(acc, t, n * sizeof(uint32_t));
        } else {
            for (int s = 0; s < BN_POW_WINDOW; s++) {
                bn_mont_mul(acc, acc, acc, ctx);
            }
            bn_mont_mul(acc, acc, t, ctx);
        }
    }
    memcpy(r, acc, n * sizeof(uint32_t));
    wipe_limbs(acc, BN_MAX_LIMBS);
    wipe_limbs(t, BN_MAX_LIMBS);
}

uint32_t bn_mod_inv(uint32_t *r, const uint32_t *a, const uint32_t *m, size_t n)
{
    /* Invariants: A = U a and B = V a (mod m); B stays odd. Each step with A
     * odd makes A even by A - B (after swapping so that A >= B), then halves
     * A, so len(A) + len(B) drops by at least one bit a step: 64n steps bring
     * A to 0 and leave B = gcd(a, m), V = gcd / a.
     *
     * One step is three passes over the limbs, every operation masked:
     *   1. sw = A odd and A < B (a borrow chain);
     *   2. swap (A, B) and (U, V) when sw; when A is odd, A -= B and U -= V;
     *      A is halved on the way (each limb written one step late, once the
     *      next limb's low bit is known);
     *   3. U += m when U - V borrowed, then U += m again when that sum is odd,
     *      and halve: U / 2 mod m, with both carries in one chain. */
    uint32_t A[BN_MAX_LIMBS], B[BN_MAX_LIMBS], U[BN_MAX_LIMBS];
    uint32_t *V = r;
    memcpy(A, a, n * sizeof(uint32_t));
    memcpy(B, m, n * sizeof(uint32_t));
    memset(U, 0, n * sizeof(uint32_t));
    U[0] = 1;
    memset(V, 0, n * sizeof(uint32_t));
    for (size_t step = 0; step < 64 * n; step++) {
        uint32_t odd = 0u - (A[0] & 1u);
        uint32_t sw = odd & (0u - bn_lt(A, B, n));
        uint32_t ba = 0, bu = 0, prev = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = A[i], y = B[i], t = sw & (x ^ y);
            x ^= t;
            y ^= t;
            B[i] = y;
            uint64_t d = (uint64_t)x - (y & odd) - ba;
            ba = (uint32_t)(d >> 63);
            if (i > 0) {
                A[i - 1] = (prev >> 1) | ((uint32_t)d << 31);
            }
            prev = (uint32_t)d;
            uint32_t u = U[i], v = V[i], w = sw & (u ^ v);
            u ^= w;
            v ^= w;
            V[i] = v;
            uint64_t e = (uint64_t)u - (v & odd) - bu;
            bu = (uint32_t)(e >> 63);
            U[i] = (uint32_t)e;
        }
        A[n - 1] = prev >> 1; /* A - B >= 0: no borrow out */
        /* U - V borrowed (bu): add m back. Then U / 2 mod m. The parity of
         * U + (m & under) is that of U[0] + (m[0] & under). */
        uint32_t under = 0u - bu;
        uint32_t uodd = 0u - ((U[0] + (m[0] & under)) & 1u);
        uint64_t c1 = 0, c2 = 0;
        prev = 0;
        for (size_t i = 0; i < n; i++) {
            c1 += (uint64_t)U[i] + (m[i] & under);
            c2 += (uint64_t)(uint32_t)c1 + (m[i] & uodd);
            c1 >>= 32;
            if (i > 0) {
                U[i - 1] = (prev >> 1) | ((uint32_t)c2 << 31);
            }
            prev = (uint32_t)c2;
            c2 >>= 32;
        }
        /* The carry out of U + (m & under) (c1) cancels the borrow of U - V:
         * dropped. The carry of adding m for an odd value (c2) is the top bit
         * of the halving: (U + m) / 2 < m fits n limbs again. */
        U[n - 1] = (prev >> 1) | ((uint32_t)c2 << 31);
    }
    /* gcd == 1: B is one. */
    uint32_t rest = B[0] ^ 1u;
    for (size_t i = 1; i < n; i++) {
        rest |= B[i];
    }
    wipe_limbs(A, BN_MAX_LIMBS);
    wipe_limbs(B, BN_MAX_LIMBS);
    wipe_limbs(U, BN_MAX_LIMBS);
    return nonzero32(rest) ^ 1u;
}
