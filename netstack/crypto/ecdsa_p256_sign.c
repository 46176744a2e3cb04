#include <string.h>

#include "apogee/err.h"
#include "crypto_declassify.h"
#include "ct.h"
#include "ecdsa_p256.h"
#include "hmac.h"
#include "p256.h"

/* The HMAC_DRBG state of RFC 6979 section 3.2 (K and V, 32 bytes each). */
struct rfc6979 {
    uint8_t k[32];
    uint8_t v[32];
};

/* K = HMAC_K(V || tag || x || h1), then V = HMAC_K(V) (steps d-g); tag < 0 means
 * no tag and no x || h1 (the retry step of 3.2.h.3 uses tag 0 without them). */
static void drbg_update(struct rfc6979 *st, int tag, const uint8_t *x, const uint8_t *h1)
{
    crypto_hmac_sha256_ctx c;
    uint8_t b = (uint8_t)tag;
    crypto_hmac_sha256_init(&c, st->k, 32);
    crypto_hmac_sha256_update(&c, st->v, 32);
    crypto_hmac_sha256_update(&c, &b, 1);
    if (x != NULL) {
        crypto_hmac_sha256_update(&c, x, 32);
        crypto_hmac_sha256_update(&c, h1, 32);
    }
    crypto_hmac_sha256_final(&c, st->k);
    crypto_hmac_sha256(st->k, 32, st->v, 32, st->v);
    crypto_wipe(&c, sizeof(c));
}

/* sig = (r, s) for nonce k (valid: 1 <= k < n), private d and hash integer e.
 * Returns 1, or 0 when r or s came out zero (the caller picks another k). */
static int sign_with_k(uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN], const p256_sc e, const p256_sc d,
                       const p256_sc k)
{
    p256_sc r, s, t;
    p256_point kg;
    p256_fe x, y;
    uint8_t xr[32];
    p256_mul_base_ct(&kg, k);
    (void)p256_to_affine(x, y, &kg); /* 1 <= k < n: never infinity */
    p256_fe_to_bytes(xr, x);
    (void)p256_sc_from_bytes(r, xr); /* r = x mod n */
    p256_sc_mul(t, r, d);
    p256_sc_add(t, t, e);
    p256_sc_inv(s, k);
    p256_sc_mul(s, s, t);
    crypto_wipe(t, sizeof(t));
    crypto_wipe(&kg, sizeof(kg));
    /* r and s are the signature: public. */
    CRYPTO_DECLASSIFY(r, sizeof(r));
    CRYPTO_DECLASSIFY(s, sizeof(s));
    if (p256_sc_is_zero(r) || p256_sc_is_zero(s)) {
        return 0;
    }
    p256_sc_to_bytes(sig, r);
    p256_sc_to_bytes(sig + 32, s);
    return 1;
}

/* d from priv; returns 1 when 1 <= d < n. The answer is public. */
static uint32_t load_private(p256_sc d, const uint8_t priv[32])
{
    uint32_t ok = p256_sc_from_bytes(d, priv) & (p256_sc_is_zero(d) ^ 1u);
    CRYPTO_DECLASSIFY(&ok, sizeof(ok));
    return ok;
}

int crypto_ecdsa_p256_sign(uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN], const uint8_t *hash,
                           size_t hash_len, const uint8_t priv[32])
{
    p256_sc d, e, k;
    uint8_t h1[32];
    struct rfc6979 st;
    int ret = APG_EINVAL;

    memset(sig, 0, CRYPTO_ECDSA_P256_SIG_LEN);
    if (!load_private(d, priv)) {
        goto out;
    }
    p256_sc_from_hash(e, hash, hash_len);
    p256_sc_to_bytes(h1, e); /* bits2octets(h1) = int2octets(bits2int(h) mod n) */

    memset(st.v, 0x01, 32);
    memset(st.k, 0x00, 32);
    drbg_update(&st, 0x00, priv, h1);
    drbg_update(&st, 0x01, priv, h1);
    /* Each try fails with probability about 2^-32; 16 failures in a row mean a
     * broken HMAC, not bad luck. */
    ret = APG_EIO;
    for (int tries = 0; tries < 16; tries++) {
        crypto_hmac_sha256(st.k, 32, st.v, 32, st.v);
        uint32_t valid = p256_sc_from_bytes(k, st.v) & (p256_sc_is_zero(k) ^ 1u);
        /* Rejection reveals only that this candidate was out of range. */
        CRYPTO_DECLASSIFY(&valid, sizeof(valid));
        if (valid && sign_with_k(sig, e, d, k)) {
            ret = APG_OK;
            break;
        }
        drbg_update(&st, 0x00, NULL, NULL);
    }
out:
    crypto_wipe(d, sizeof(d));
    crypto_wipe(k, sizeof(k));
    crypto_wipe(&st, sizeof(st));
    return ret;
}

int crypto_ecdsa_p256_sign_with_nonce(uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN],
                                      const uint8_t *hash, size_t hash_len,
                                      const uint8_t priv[32], const uint8_t nonce[32])
{
    p256_sc d, e, k;
    int ret = APG_EINVAL;
    memset(sig, 0, CRYPTO_ECDSA_P256_SIG_LEN);
    uint32_t kok = p256_sc_from_bytes(k, nonce) & (p256_sc_is_zero(k) ^ 1u);
    CRYPTO_DECLASSIFY(&kok, sizeof(kok));
    if (load_private(d, priv) && kok) {
        p256_sc_from_hash(e, hash, hash_len);
        ret = sign_with_k(sig, e, d, k) ? APG_OK : APG_EINVAL;
    }
    crypto_wipe(d, sizeof(d));
    crypto_wipe(k, sizeof(k));
    return ret;
}
