/*
 * hkdf.c - RFC 5869 extract and expand. The keyed HMAC context is built once
 * from prk and copied for each output block, so prk is hashed into the pads once.
 */
#include "hkdf.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "hmac.h"

void crypto_hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[32])
{
    /* An absent salt is HashLen zeros; HMAC pads a short key with zeros, so an
     * empty key gives the same result. */
    crypto_hmac_sha256(salt, salt_len, ikm, ikm_len, prk);
}

int crypto_hkdf_sha256_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len)
{
    if (okm_len > 255u * 32u) {
        return APG_EINVAL;
    }
    crypto_hmac_sha256_ctx keyed, c;
    uint8_t t[32];
    crypto_hmac_sha256_init(&keyed, prk, prk_len);
    for (uint8_t i = 1; okm_len != 0; i++) {
        c = keyed;
        if (i > 1) {
            crypto_hmac_sha256_update(&c, t, sizeof t);
        }
        crypto_hmac_sha256_update(&c, info, info_len);
        crypto_hmac_sha256_update(&c, &i, 1);
        crypto_hmac_sha256_final(&c, t);
        size_t n = okm_len < sizeof t ? okm_len : sizeof t;
        memcpy(okm, t, n);
        okm += n;
        okm_len -= n;
    }
    crypto_wipe(&keyed, sizeof keyed);
    crypto_wipe(t, sizeof t);
    return APG_OK;
}

void crypto_hkdf_sha384_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[48])
{
    crypto_hmac_sha384(salt, salt_len, ikm, ikm_len, prk);
}

int crypto_hkdf_sha384_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len)
{
    if (okm_len > 255u * 48u) {
        return APG_EINVAL;
    }
    crypto_hmac_sha384_ctx keyed, c;
    uint8_t t[48];
    crypto_hmac_sha384_init(&keyed, prk, prk_len);
    for (uint8_t i = 1; okm_len != 0; i++) {
        c = keyed;
        if (i > 1) {
            crypto_hmac_sha384_update(&c, t, sizeof t);
        }
        crypto_hmac_sha384_update(&c, info, info_len);
        crypto_hmac_sha384_update(&c, &i, 1);
        crypto_hmac_sha384_final(&c, t);
        size_t n = okm_len < sizeof t ? okm_len : sizeof t;
        memcpy(okm, t, n);
        okm += n;
        okm_len -= n;
    }
    crypto_wipe(&keyed, sizeof keyed);
    crypto_wipe(t, sizeof t);
    return APG_OK;
}
