#include "rsa_private.h"

#include <string.h>

#include "apogee/err.h"
#include "crypto_declassify.h"
#include "ct.h"
#include "drbg.h"

#define CRYPTO_RSA_CTX_READY 0x52534131u /* "RSA1" */

int crypto_rsa_rng_drbg(void *arg, uint8_t *out, size_t len)
{
    return crypto_hmac_drbg_generate((crypto_hmac_drbg *)arg, out, len, NULL, 0);
}

/* Big-endian bytes into n limbs for len <= 4n (checked by the caller from the
 * public lengths): unlike bn_from_bytes, no overflow result computed from the
 * (secret) bytes. */
static void load_secret(uint32_t *r, size_t n, const uint8_t *in, size_t len)
{
    memset(r, 0, n * sizeof(uint32_t));
    for (size_t i = 0; i < len; i++) {
        size_t bit = i * 8;
        r[bit / 32] |= (uint32_t)in[len - 1 - i] << (bit % 32);
    }
}

static size_t limbs_of(size_t bytes)
{
    return (bytes + 3) / 4;
}

static int blind_refresh(struct crypto_rsa_private_ctx *ctx);

static int init_checked(struct crypto_rsa_private_ctx *ctx,
                        const struct crypto_rsa_private_key *key)
{
    const uint8_t *n = key->n, *e = key->e;
    size_t n_len = key->n_len, e_len = key->e_len;
    /* n and e are public: strip their leading zeros, as rsa.c does. */
    while (n_len > 0 && n[0] == 0) {
        n++;
        n_len--;
    }
    while (e_len > 0 && e[0] == 0) {
        e++;
        e_len--;
    }
    if (n_len > CRYPTO_RSA_MAX_BYTES || n_len * 8 < CRYPTO_RSA_MIN_BITS) {
        return APG_ENOTSUP;
    }
    if (bn_mont_init(&ctx->mn, n, n_len) != 0) {
        return APG_EINVAL;
    }
    const size_t nl = ctx->mn.n;
    ctx->bits = bn_bitlen_public(ctx->mn.m, nl);
    if (ctx->bits < CRYPTO_RSA_MIN_BITS) {
        return APG_ENOTSUP;
    }
    ctx->k = n_len;
    if (e_len == 0 || e_len > n_len || !(e[e_len - 1] & 1u) || (e_len == 1 && e[0] == 1) ||
        bn_from_bytes(ctx->w0, nl, e, e_len) != 0 || !bn_lt(ctx->w0, ctx->mn.m, nl)) {
        return APG_EINVAL;
    }
    ctx->e = e;
    ctx->e_len = e_len;

    /* The secret parts: only their (public) lengths steer the code. */
    const size_t pl = limbs_of(key->p_len), ql = limbs_of(key->q_len);
    if (pl > CRYPTO_RSA_PRIME_MAX_LIMBS || ql > CRYPTO_RSA_PRIME_MAX_LIMBS) {
        return APG_ENOTSUP;
    }
    if (pl == 0 || ql == 0 || pl + ql < nl || key->dp_len > key->p_len ||
        key->dq_len > key->q_len || key->qinv_len > key->p_len) {
        return APG_EINVAL;
    }
    load_secret(ctx->w0, pl, key->p, key->p_len);
    load_secret(ctx->w1, ql, key->q, key->q_len);
    uint32_t ok = bn_mont_init_secret(&ctx->mp, ctx->w0, pl);
    ok &= bn_mont_init_secret(&ctx->mq, ctx->w1, ql);
    /* p q == n, compared over pl + ql limbs (n zero-extended). */
    bn_mul(ctx->w2, ctx->w0, pl, ctx->w1, ql);
    memset(ctx->w0, 0, (pl + ql) * sizeof(uint32_t));
    memcpy(ctx->w0, ctx->mn.m, nl * sizeof(uint32_t));
    ok &= (uint32_t)crypto_ct_equal(ctx->w0, ctx->w2, (pl + ql) * sizeof(uint32_t));
    load_secret(ctx->dp, pl, key->dp, key->dp_len);
    load_secret(ctx->dq, ql, key->dq, key->dq_len);
    /* qInv reduced mod p (a well-formed key has it below p already). */
    load_secret(ctx->w0, pl, key->qinv, key->qinv_len);
    bn_mod_reduce_mont(ctx->w1, ctx->w0, pl, &ctx->mp);
    bn_mont_from(ctx->qinv, ctx->w1, &ctx->mp);
    crypto_wipe(ctx->w0, sizeof(ctx->w0));
    crypto_wipe(ctx->w1, sizeof(ctx->w1));
    crypto_wipe(ctx->w2, sizeof(ctx->w2));
    CRYPTO_DECLASSIFY(&ok, sizeof(ok)); /* only "the key is consistent" */
    if (!ok) {
        return APG_EINVAL;
    }
    return blind_refresh(ctx);
}

int crypto_rsa_private_init(struct crypto_rsa_private_ctx *ctx,
                            const struct crypto_rsa_private_key *key, crypto_rsa_rng_fn rng,
                            void *rng_arg)
{
    if (ctx == NULL) {
        return APG_EINVAL;
    }
    memset(ctx, 0, sizeof(*ctx));
    if (key == NULL || rng == NULL || key->n == NULL || key->e == NULL || key->p == NULL ||
        key->q == NULL || key->dp == NULL || key->dq == NULL || key->qinv == NULL) {
        return APG_EINVAL;
    }
    ctx->rng = rng;
    ctx->rng_arg = rng_arg;
    int rc = init_checked(ctx, key);
    if (rc != APG_OK) {
        crypto_rsa_private_wipe(ctx);
        return rc;
    }
    ctx->ready = CRYPTO_RSA_CTX_READY;
    return APG_OK;
}

size_t crypto_rsa_private_size(const struct crypto_rsa_private_ctx *ctx)
{
    return ctx->ready == CRYPTO_RSA_CTX_READY ? ctx->k : 0;
}

/* Garner's recombination: s = s_q + q (qInv (s_p - s_q) mod p), the number
 * mod n that is s_p mod p and s_q mod q. sp: s_p mod p in Montgomery form (pl
 * limbs, overwritten); sq: s_q < q, plain (ql limbs); s: pl + ql limbs of
 * room, not aliasing either (its top limbs are zero afterwards: s < n). */
static void crt_combine(struct crypto_rsa_private_ctx *ctx, uint32_t *s, uint32_t *sp,
                        const uint32_t *sq)
{
    const size_t pl = ctx->mp.n, ql = ctx->mq.n;
    /* The difference in Montgomery form times the plain qInv is h, plain;
     * s holds s_q R mod p for the moment. */
    bn_mod_reduce_mont(s, sq, ql, &ctx->mp);
    bn_mod_sub(sp, sp, s, ctx->mp.m, pl);
    bn_mont_mul(sp, sp, ctx->qinv, &ctx->mp);
    /* s = s_q + q h <= (q - 1) + q (p - 1) < n. */
    bn_mul(s, ctx->mq.m, ql, sp, pl);
    uint32_t carry = bn_add(s, s, sq, ql);
    for (size_t i = ql; i < pl + ql; i++) {
        uint64_t t = (uint64_t)s[i] + carry;
        s[i] = (uint32_t)t;
        carry = (uint32_t)(t >> 32);
    }
}

/* s = x^d mod n for x < n by CRT. x has nl limbs; s needs pl + ql limbs of
 * room (nl of them meaningful afterwards) and may not alias x. Uses w2 and the
 * window table. */
static void crt_exp(struct crypto_rsa_private_ctx *ctx, uint32_t *s, const uint32_t *x)
{
    const size_t nl = ctx->mn.n, pl = ctx->mp.n, ql = ctx->mq.n;
    uint32_t *sp = ctx->w2;                              /* pl limbs */
    uint32_t *sq = ctx->w2 + CRYPTO_RSA_PRIME_MAX_LIMBS; /* ql limbs */
    /* s_q = x^dQ mod q, plain. */
    bn_mod_reduce_mont(sq, x, nl, &ctx->mq);
    bn_mont_pow_secret(sq, sq, ctx->dq, ql, &ctx->mq, ctx->table);
    bn_mont_from(sq, sq, &ctx->mq);
    /* s_p = x^dP mod p, kept in Montgomery form. */
    bn_mod_reduce_mont(sp, x, nl, &ctx->mp);
    bn_mont_pow_secret(sp, sp, ctx->dp, pl, &ctx->mp, ctx->table);
    crt_combine(ctx, s, sp, sq);
    crypto_wipe(ctx->w2, sizeof(ctx->w2));
    crypto_wipe(ctx->table, sizeof(ctx->table));
}

/* Draw a fresh r < 2^(bits-1) < n and set blind_e = r^e R, blind_inv = r^-1 R.
 * r^-1 mod n comes from r^-1 mod p and r^-1 mod q, recombined like a
 * signature: two half-size inversions cost half of one full-size one (the
 * binary algorithm's cost grows with the square of the length). Uses w0..w3. */
static int blind_refresh(struct crypto_rsa_private_ctx *ctx)
{
    const size_t nl = ctx->mn.n, pl = ctx->mp.n, ql = ctx->mq.n;
    const size_t half = CRYPTO_RSA_PRIME_MAX_LIMBS;
    uint32_t *r = ctx->w0, *rinv = ctx->w3;
    uint32_t *rp = ctx->w1, *rq = ctx->w1 + half; /* r mod p, r mod q */
    uint32_t *ip = ctx->w2, *iq = ctx->w2 + half; /* their inverses */
    uint8_t *raw = (uint8_t *)ctx->w2;            /* k <= 4 nl bytes, before ip/iq */
    int rc = APG_EIO;
    for (int attempt = 0; attempt < 3 && rc == APG_EIO; attempt++) {
        int got = ctx->rng(ctx->rng_arg, raw, ctx->k);
        if (got < 0) {
            rc = got;
            break;
        }
        load_secret(r, nl, raw, ctx->k);
        /* Keep the bits below bits - 1: r < n with no comparison. */
        size_t top = ctx->bits - 1;
        for (size_t i = 0; i < nl; i++) {
            size_t lo = i * 32;
            uint32_t keep = lo >= top ? 0u : (top - lo >= 32 ? 0xFFFFFFFFu
                                                              : (1u << (top - lo)) - 1u);
            r[i] &= keep;
        }
        bn_mod_reduce_mont(rp, r, nl, &ctx->mp);
        bn_mont_from(rp, rp, &ctx->mp);
        bn_mod_reduce_mont(rq, r, nl, &ctx->mq);
        bn_mont_from(rq, rq, &ctx->mq);
        uint32_t ok = bn_mod_inv(ip, rp, ctx->mp.m, pl);
        ok &= bn_mod_inv(iq, rq, ctx->mq.m, ql);
        CRYPTO_DECLASSIFY(&ok, sizeof(ok)); /* only "r shares a factor with n" */
        if (ok) {
            bn_mont_to(rp, ip, &ctx->mp); /* crt_combine takes s_p in Montgomery form */
            crt_combine(ctx, rinv, rp, iq);
            bn_mont_to(ctx->blind_inv, rinv, &ctx->mn);
            bn_mont_pow_public(rinv, r, ctx->e, ctx->e_len, &ctx->mn);
            bn_mont_to(ctx->blind_e, rinv, &ctx->mn);
            ctx->blind_uses = 0;
            rc = APG_OK;
        }
    }
    crypto_wipe(ctx->w0, sizeof(ctx->w0));
    crypto_wipe(ctx->w1, sizeof(ctx->w1));
    crypto_wipe(ctx->w2, sizeof(ctx->w2));
    crypto_wipe(ctx->w3, sizeof(ctx->w3));
    return rc;
}

int crypto_rsa_private_refresh(struct crypto_rsa_private_ctx *ctx)
{
    if (ctx->ready != CRYPTO_RSA_CTX_READY) {
        return APG_ESTATE;
    }
    return blind_refresh(ctx);
}

int crypto_rsa_private(struct crypto_rsa_private_ctx *ctx, uint8_t *out, size_t out_cap,
                       const uint8_t *in, size_t in_len)
{
    if (ctx->ready != CRYPTO_RSA_CTX_READY) {
        return APG_ESTATE;
    }
    const size_t nl = ctx->mn.n, k = ctx->k;
    if (in_len != k || out_cap < k) {
        return APG_EMSGSIZE;
    }
    uint32_t *x = ctx->w0, *xb = ctx->w1, *s = ctx->w3;
    /* The input is public (a padded hash): an ordinary range check. */
    bn_from_bytes(x, nl, in, in_len);
    if (!bn_lt(x, ctx->mn.m, nl)) {
        return APG_EINVAL;
    }
    if (ctx->blind_uses >= APOGEE_CRYPTO_RSA_BLIND_REFRESH) {
        int rc = blind_refresh(ctx); /* uses (and wipes) w0..w3 */
        if (rc != APG_OK) {
            return rc;
        }
        bn_from_bytes(x, nl, in, in_len);
    }
    /* x' = x r^e (plain: the Montgomery factor of blind_e cancels). */
    bn_mont_mul(xb, x, ctx->blind_e, &ctx->mn);
    crt_exp(ctx, s, xb);
    /* s = s' r^-1; then the next pair (r^2)^e, r^-2. */
    bn_mont_mul(xb, s, ctx->blind_inv, &ctx->mn);
    bn_mont_mul(ctx->blind_e, ctx->blind_e, ctx->blind_e, &ctx->mn);
    bn_mont_mul(ctx->blind_inv, ctx->blind_inv, ctx->blind_inv, &ctx->mn);
    ctx->blind_uses++;
    /* Fault check: s^e must give x back before s leaves. */
    bn_mont_pow_public(s, xb, ctx->e, ctx->e_len, &ctx->mn);
    uint32_t good = (uint32_t)crypto_ct_equal(s, x, nl * sizeof(uint32_t));
    CRYPTO_DECLASSIFY(&good, sizeof(good)); /* only "the signature is right" */
    if (good) {
        bn_to_bytes(out, k, xb, nl);
    } else {
        memset(out, 0, k);
    }
    crypto_wipe(ctx->w1, sizeof(ctx->w1));
    crypto_wipe(ctx->w3, sizeof(ctx->w3));
    return good ? APG_OK : APG_EIO;
}

void crypto_rsa_private_wipe(struct crypto_rsa_private_ctx *ctx)
{
    crypto_wipe(ctx, sizeof(*ctx));
}
