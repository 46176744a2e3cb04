/*
 * rsa_private.h - the RSA private-key operation (RSASP1, RFC 8017 5.2.1) for
 * 2048 to 4096 bit keys: CRT, base blinding, constant-time exponentiation and
 * a fault check. Signature padding lives in rsa_sign.h; use that.
 *
 * Key: struct crypto_rsa_private_key points at big-endian byte strings, the
 * layout sdk/keys.py emits as const arrays in flash (n, e, p, q, dP, dQ, qInv;
 * d is emitted for completeness but not needed). The key stays where it is
 * and must outlive the context (the context keeps a pointer to e);
 * crypto_rsa_private_init copies what the arithmetic needs into the context.
 * Lengths are public: give p, q, dP, dQ and qInv with their natural byte
 * lengths (sdk/keys.py pads dP, dQ, qInv to the length of their prime so that
 * even their lengths say nothing).
 *
 * How one operation runs (x is the k-byte input, x < n):
 *   1. blinding: x' = x r^e mod n with a random r (see below);
 *   2. CRT: s_p = x'^dP mod p and s_q = x'^dQ mod q, each a fixed 4-bit-window
 *      exponentiation over every bit of the exponent's limbs, the window read
 *      from a 16-entry table by touching all entries (bignum.h);
 *      h = qInv (s_p - s_q) mod p, s' = s_q + q h;
 *   3. unblinding: s = s' r^-1 mod n;
 *   4. fault check: s^e mod n must equal x. If it does not (a glitch, a bit
 *      flip in RAM, or inconsistent CRT values in the key), the output is
 *      wiped to zeros and APG_EIO returned: a faulty CRT signature would hand
 *      out a factor of n (the Bellcore attack), so it is never released.
 * No branch and no memory index depends on the key, r or the input beyond
 * their lengths (checked under valgrind with them marked undefined, see
 * tests/crypto/test_rsa_sign_ct.py). The only secret-derived bits the code
 * branches on are the documented yes/no outcomes: key consistent, r invertible,
 * fault check passed.
 *
 * Blinding: r comes from the caller's random function. The pair
 * (r^e, r^-1) is made at init (r^-1 mod p and mod q by a constant-time binary
 * inversion each, then recombined: about 12 M Cortex-M3 instructions for
 * 2048 bits) and squared after each use ((r^2)^e, r^-2), which costs two
 * multiplications; a fresh r is drawn every APOGEE_CRYPTO_RSA_BLIND_REFRESH
 * operations, or earlier with crypto_rsa_private_refresh() when idle.
 *
 * Memory: no heap. The context is the working memory:
 * sizeof(struct crypto_rsa_private_ctx) = 11,064 bytes with the default
 * APOGEE_BN_MAX_BITS 4096 (on 32-bit targets), 8,312 with 3072 and 5,560 with
 * 2048 for a build that only holds keys up to that size. Stack, measured on
 * Cortex-M3 -Os (tests/bench/bench_rsa_sign.py): 2.4 KiB for init and
 * refresh, 2.3 KiB for one operation, 2.5 KiB for a PSS signature; it scales
 * with APOGEE_BN_MAX_BITS, not with the key.
 * A context is not thread safe: one operation at a time.
 */
#ifndef CRYPTO_RSA_PRIVATE_H
#define CRYPTO_RSA_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "bignum.h"
#include "rsa.h"

/* Operations between fresh blinding values (squaring in between). */
#ifndef APOGEE_CRYPTO_RSA_BLIND_REFRESH
#define APOGEE_CRYPTO_RSA_BLIND_REFRESH 32u
#endif

/* Limbs of the largest prime: each prime is at most half the largest modulus. */
#define CRYPTO_RSA_PRIME_MAX_LIMBS (BN_MAX_LIMBS / 2)

/*
 * The caller's random source: fill out[0..len) with random bytes and return 0,
 * or return a negative APG_E* code (passed back to the caller of the signing
 * function). It is called for blinding values (k bytes) and PSS salts (hash
 * length). The type is the same as tls.h's tls_rng_fn, so a TLS
 * configuration's rng can be passed as is. On a device the source is normally
 * crypto_random (random.h, reseeded from the board's entropy):
 *
 *     static int rsa_rng(void *arg, uint8_t *out, size_t len)
 *     {
 *         return crypto_random_bytes((crypto_random *)arg, out, len);
 *     }
 *
 * crypto_rsa_rng_drbg below adapts a bare HMAC-DRBG that the caller seeds and
 * reseeds itself (tests use it). Blinding needs unpredictable r: on a board
 * whose seed is provisioned at build time the stream repeats at every start,
 * and so do the blinding values (still correct signatures, weaker protection
 * against power analysis).
 */
typedef int (*crypto_rsa_rng_fn)(void *arg, uint8_t *out, size_t len);

/* arg is a crypto_hmac_drbg * (drbg.h), instantiated by the caller. */
int crypto_rsa_rng_drbg(void *arg, uint8_t *out, size_t len);

/* A private key as big-endian byte strings. n: 2048..4096 bits; e odd,
 * 3 <= e < n (public exponent); leading zero bytes of n and e are skipped.
 * p, q: the primes, each at most CRYPTO_RSA_PRIME_MAX_LIMBS limbs, p q = n,
 * given with their exact lengths (no leading zero byte: the lengths set the
 * limb counts, and a zero top limb is refused as an inconsistent key).
 * dp = d mod (p-1), dq = d mod (q-1), qinv = q^-1 mod p, with
 * dp_len <= p_len, dq_len <= q_len, qinv_len <= p_len (leading zeros fine). */
struct crypto_rsa_private_key {
    const uint8_t *n;
    size_t n_len;
    const uint8_t *e;
    size_t e_len;
    const uint8_t *p;
    size_t p_len;
    const uint8_t *q;
    size_t q_len;
    const uint8_t *dp;
    size_t dp_len;
    const uint8_t *dq;
    size_t dq_len;
    const uint8_t *qinv;
    size_t qinv_len;
};

/* Working memory for one key. Caller-owned (static storage); all fields are
 * private to rsa_private.c. */
struct crypto_rsa_private_ctx {
    struct bn_mont mn, mp, mq;                 /* Montgomery contexts for n, p, q */
    uint32_t dp[CRYPTO_RSA_PRIME_MAX_LIMBS];   /* dP, dQ as limbs */
    uint32_t dq[CRYPTO_RSA_PRIME_MAX_LIMBS];
    uint32_t qinv[CRYPTO_RSA_PRIME_MAX_LIMBS]; /* qInv mod p, plain */
    uint32_t blind_e[BN_MAX_LIMBS];            /* r^e R mod n (Montgomery form) */
    uint32_t blind_inv[BN_MAX_LIMBS];          /* r^-1 R mod n (Montgomery form) */
    uint32_t table[BN_POW_TABLE_ENTRIES * CRYPTO_RSA_PRIME_MAX_LIMBS];
    uint32_t w0[BN_MAX_LIMBS], w1[BN_MAX_LIMBS]; /* scratch */
    uint32_t w2[BN_MAX_LIMBS], w3[BN_MAX_LIMBS];
    const uint8_t *e;                          /* the key's e (the key outlives ctx) */
    size_t e_len;
    size_t k;                                  /* modulus bytes */
    size_t bits;                               /* modulus bits */
    uint32_t blind_uses;                       /* uses of the current r */
    uint32_t ready;                            /* CRYPTO_RSA_CTX_READY after init */
    crypto_rsa_rng_fn rng;
    void *rng_arg;
};

/*
 * Check the key and prepare ctx for it: Montgomery contexts for n, p and q,
 * the CRT values as limbs, the first blinding pair (draws k random bytes, one
 * modular inversion). rng and rng_arg are kept for later blinding refreshes and
 * for PSS salts. Returns APG_OK or:
 *   APG_ENOTSUP  n outside CRYPTO_RSA_MIN_BITS..CRYPTO_RSA_MAX_BITS bits, or a
 *                prime longer than CRYPTO_RSA_PRIME_MAX_LIMBS limbs;
 *   APG_EINVAL   a NULL pointer, e even or 1 or >= n, a CRT value longer than
 *                its prime, p or q even or 1, or p q != n (the key is
 *                inconsistent: usually a mixed-up key file);
 *   APG_EIO      three random values in a row shared a factor with n (a
 *                broken random source);
 *   any error the rng returned.
 * On error ctx is wiped and not usable. The key's CRT exponents are not
 * checked here (that would cost a signature); a wrong dP or dQ is caught by
 * the fault check of every operation instead.
 */
int crypto_rsa_private_init(struct crypto_rsa_private_ctx *ctx,
                            const struct crypto_rsa_private_key *key, crypto_rsa_rng_fn rng,
                            void *rng_arg);

/* Bytes of the modulus (the signature length), 0 if ctx is not ready. */
size_t crypto_rsa_private_size(const struct crypto_rsa_private_ctx *ctx);

/*
 * RSASP1: out = in^d mod n (blinded CRT, then the fault check). in is exactly
 * k = crypto_rsa_private_size(ctx) bytes, big-endian, and must be below n;
 * out receives k bytes (out may equal in). Returns APG_OK or:
 *   APG_ESTATE   ctx not initialised;
 *   APG_EMSGSIZE in_len != k or out_cap < k;
 *   APG_EINVAL   in >= n ("message representative out of range");
 *   APG_EIO      the fault check failed: out[0..k) is all zeros;
 *   any error the rng returned when a blinding refresh was due (nothing
 *   written).
 */
int crypto_rsa_private(struct crypto_rsa_private_ctx *ctx, uint8_t *out, size_t out_cap,
                       const uint8_t *in, size_t in_len);

/*
 * Draw a fresh blinding value now (k random bytes, two half-size modular
 * inversions) instead of inside the operation that reaches
 * APOGEE_CRYPTO_RSA_BLIND_REFRESH uses: call it when the device is idle so that
 * no handshake pays for it. Returns APG_OK, APG_ESTATE (ctx not ready),
 * APG_EIO (three values in a row not invertible) or the rng's error; on an
 * error the previous blinding pair stays in use.
 */
int crypto_rsa_private_refresh(struct crypto_rsa_private_ctx *ctx);

/* Wipe every secret the context holds (call before reusing its storage). */
void crypto_rsa_private_wipe(struct crypto_rsa_private_ctx *ctx);

#endif /* CRYPTO_RSA_PRIVATE_H */
