#include "rsa_sign.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "rsa_hash.h"

/* EMSA-PSS-ENCODE into the k-byte buffer em (RFC 8017 9.1.1) with
 * emBits = modBits - 1: when that is a multiple of 8, EM is one byte shorter
 * than the modulus and em[0] is the zero byte I2OSP would add. */
static void pss_encode(uint8_t *em, size_t k, size_t mod_bits, enum crypto_rsa_hash hash,
                       size_t hlen, const uint8_t *digest, const uint8_t *salt, size_t salt_len)
{
    size_t em_bits = mod_bits - 1;
    size_t em_len = (em_bits + 7) / 8;
    uint8_t *e = em + (k - em_len);
    memset(em, 0, k - em_len);
    size_t db_len = em_len - hlen - 1;
    uint8_t *h = e + db_len;
    /* H = Hash(0^8 || mHash || salt), written in place. */
    crypto_rsa_pss_hash(h, hash, digest, hlen, salt, salt_len);
    /* DB = PS (zeros) || 0x01 || salt, masked with MGF1(H). */
    memset(e, 0, db_len - salt_len - 1);
    e[db_len - salt_len - 1] = 0x01;
    memcpy(e + db_len - salt_len, salt, salt_len);
    crypto_rsa_mgf1_xor(e, db_len, h, hlen, hash);
    e[0] &= (uint8_t)(0xFFu >> (8 * em_len - em_bits));
    e[em_len - 1] = 0xBC;
}

int crypto_rsa_pss_sign_salt(struct crypto_rsa_private_ctx *ctx, enum crypto_rsa_hash hash,
                             const uint8_t *digest, size_t digest_len, const uint8_t *salt,
                             size_t salt_len, uint8_t *sig, size_t sig_cap, size_t *sig_len)
{
    *sig_len = 0;
    size_t k = crypto_rsa_private_size(ctx);
    size_t hlen = crypto_rsa_hash_len(hash);
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
    uint8_t salt[CRYPTO_RSA_HASH_MAX_SIZE];
    size_t hlen = crypto_rsa_hash_len(hash);
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
