#include "rsa_sign.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "sha256.h"
#include "sha512.h"

/* The hashes behind one small interface, for MGF1 and H = Hash(M'). */
union hash_ctx {
    crypto_sha256_ctx s256;
    crypto_sha512_ctx s512;
};

static size_t hash_len(enum crypto_rsa_hash h)
{
    switch (h) {
    case CRYPTO_RSA_SHA256:
        return CRYPTO_SHA256_SIZE;
    case CRYPTO_RSA_SHA384:
        return CRYPTO_SHA384_SIZE;
    case CRYPTO_RSA_SHA512:
        return CRYPTO_SHA512_SIZE;
    }
    return 0;
}

static void hash_init(union hash_ctx *c, enum crypto_rsa_hash h)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_init(&c->s256);
    } else if (h == CRYPTO_RSA_SHA384) {
        crypto_sha384_init(&c->s512);
    } else {
        crypto_sha512_init(&c->s512);
    }
}

static void hash_update(union hash_ctx *c, enum crypto_rsa_hash h, const void *d, size_t n)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_update(&c->s256, d, n);
    } else {
        crypto_sha512_update(&c->s512, d, n);
    }
}

static void hash_final(union hash_ctx *c, enum crypto_rsa_hash h, uint8_t *out)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_final(&c->s256, out);
    } else if (h == CRYPTO_RSA_SHA384) {
        crypto_sha384_final(&c->s512, out);
    } else {
        crypto_sha512_final(&c->s512, out);
    }
}

/* db ^= MGF1(seed, len) (RFC 8017 B.2.1). */
static void mgf1_xor(uint8_t *db, size_t len, const uint8_t *seed, size_t hlen,
                     enum crypto_rsa_hash hash)
{
    union hash_ctx c;
    uint8_t block[CRYPTO_SHA512_SIZE];
    for (uint32_t counter = 0; len > 0; counter++) {
        uint8_t cb[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                         (uint8_t)(counter >> 8), (uint8_t)counter};
        hash_init(&c, hash);
        hash_update(&c, hash, seed, hlen);
        hash_update(&c, hash, cb, 4);
        hash_final(&c, hash, block);
        size_t take = len < hlen ? len : hlen;
        for (size_t i = 0; i < take; i++) {
            db[i] ^= block[i];
        }
        db += take;
        len -= take;
    }
}

/* EMSA-PSS-ENCODE into the k-byte buffer em (RFC 8017 9.1.1) with
 * emBits = modBits - 1: when that is a multiple of 8, EM is one byte shorter
 * than the modulus and em[0] is the zero byte I2OSP would add. */
static void pss_encode(uint8_t *em, size_t k, size_t mod_bits, enum crypto_rsa_hash hash,
                       size_t hlen, const uint8_t *digest, const uint8_t *salt, size_t salt_len)
{
    static const uint8_t zeros[8] = {0};
    size_t em_bits = mod_bits - 1;
    size_t em_len = (em_bits + 7) / 8;
    uint8_t *e = em + (k - em_len);
    memset(em, 0, k - em_len);
    size_t db_len = em_len - hlen - 1;
    uint8_t *h = e + db_len;
    /* H = Hash(0^8 || mHash || salt), written in place. */
    union hash_ctx c;
    hash_init(&c, hash);
    hash_update(&c, hash, zeros, 8);
    hash_update(&c, hash, digest, hlen);
    hash_update(&c, hash, salt, salt_len);
    hash_final(&c, hash, h);
    /* DB = PS (zeros) || 0x01 || salt, masked with MGF1(H). */
    memset(e, 0, db_len - salt_len - 1);
    e[db_len - salt_len - 1] = 0x01;
    memcpy(e + db_len - salt_len, salt, salt_len);
    mgf1_xor(e, db_len, h, hlen, hash);
    e[0] &= (uint8_t)(0xFFu >> (8 * em_len - em_bits));
    e[em_len - 1] = 0xBC;
}

int crypto_rsa_pss_sign_salt(struct crypto_rsa_private_ctx *ctx, enum crypto_rsa_hash hash,
                             const uint8_t *digest, size_t digest_len, const uint8_t *salt,
                             size_t salt_len, uint8_t *sig, size_t sig_cap, size_t *sig_len)
{
    *sig_len = 0;
    size_t k = crypto_rsa_private_size(ctx);
    size_t hlen = hash_len(hash);
    int rc = APG_OK;
    if (k == 0) {
        rc = APG_ESTATE;
    } else if (hlen == 0) {
        rc = APG_ENOTSUP;
    } else if (digest_len != hlen || (salt == NULL && salt_len > 0)) {
        rc = APG_EINVAL;
    } else if (sig_cap < k) {
        rc = APG_EMSGSIZE;
    } else if ((ctx->bits - 1 + 7) / 8 < hlen + salt_len + 2) {
        rc = APG_EINVAL; /* "encoding error": cannot happen for >= 2048 bits */
    }
    if (rc == APG_OK) {
        pss_encode(sig, k, ctx->bits, hash, hlen, digest, salt, salt_len);
        rc = crypto_rsa_private(ctx, sig, sig_cap, sig, k);
    }
    if (rc != APG_OK) {
        memset(sig, 0, sig_cap < k || k == 0 ? sig_cap : k);
        return rc;
    }
    *sig_len = k;
    return APG_OK;
}

int crypto_rsa_pss_sign(struct crypto_rsa_private_ctx *ctx, enum crypto_rsa_hash hash,
                        const uint8_t *digest, size_t digest_len, uint8_t *sig, size_t sig_cap,
                        size_t *sig_len)
{
    uint8_t salt[CRYPTO_SHA512_SIZE];
    size_t hlen = hash_len(hash);
    *sig_len = 0;
    if (crypto_rsa_private_size(ctx) != 0 && hlen != 0) {
        int rc = ctx->rng(ctx->rng_arg, salt, hlen);
        if (rc < 0) {
            memset(sig, 0, sig_cap < ctx->k ? sig_cap : ctx->k);
            return rc;
        }
    }
    /* Errors of the arguments are reported by the salted form. */
    int rc = crypto_rsa_pss_sign_salt(ctx, hash, digest, digest_len, salt, hlen, sig, sig_cap,
                                      sig_len);
    crypto_wipe(salt, sizeof(salt));
    return rc;
}
