/*
 * random.c - crypto_random: the HMAC-DRBG fed by hal_entropy.
 */
#include "random.h"

#include <string.h>

#include "apogee/entropy.h"
#include "apogee/err.h"
#include "ct.h"

int crypto_random_init(crypto_random *r, const void *pers, size_t pers_len)
{
    uint8_t seed[CRYPTO_HMAC_DRBG_MIN_SEED];
    memset(r, 0, sizeof *r);
    int rc = hal_entropy(seed, sizeof seed);
    if (rc == APG_OK) {
        /* entropy | nonce in one piece, as drbg.h allows. */
        rc = crypto_hmac_drbg_instantiate(&r->drbg, seed, sizeof seed, NULL, 0, pers, pers_len);
    }
    crypto_wipe(seed, sizeof seed);
    if (rc != APG_OK) {
        crypto_random_wipe(r);
    }
    return rc;
}

static int reseed(crypto_random *r)
{
    uint8_t fresh[CRYPTO_HMAC_DRBG_MIN_ENTROPY];
    int rc = hal_entropy(fresh, sizeof fresh);
    if (rc == APG_OK) {
        rc = crypto_hmac_drbg_reseed(&r->drbg, fresh, sizeof fresh, NULL, 0);
    }
    crypto_wipe(fresh, sizeof fresh);
    return rc;
}

int crypto_random_bytes(crypto_random *r, void *out, size_t len)
{
    if (r->drbg.reseed_counter == 0) {
        return APG_ESTATE;
    }
    if (out == NULL && len > 0) {
        return APG_EINVAL;
    }
    uint8_t *p = out;
    while (len > 0) {
        size_t n = len < CRYPTO_HMAC_DRBG_MAX_REQUEST ? len : CRYPTO_HMAC_DRBG_MAX_REQUEST;
        int rc = crypto_hmac_drbg_generate(&r->drbg, p, n, NULL, 0);
        if (rc == APG_ESTATE) {
            /* Instantiated (checked above), so the reseed interval is reached. */
            rc = reseed(r);
            if (rc != APG_OK) {
                return rc;
            }
            rc = crypto_hmac_drbg_generate(&r->drbg, p, n, NULL, 0);
        }
        if (rc != APG_OK) {
            return rc;
        }
        p += n;
        len -= n;
    }
    return APG_OK;
}

void crypto_random_wipe(crypto_random *r)
{
    crypto_hmac_drbg_uninstantiate(&r->drbg);
}
