/*
 * drbg.c - HMAC_DRBG (SP 800-90A 10.1.2) over HMAC-SHA256. The provided data
 * of the update function comes in up to three pieces (entropy, nonce,
 * personalization) so no concatenation buffer is needed.
 */
#include "drbg.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "hmac.h"

struct piece {
    const void *p;
    size_t n;
};

/* HMAC_DRBG_Update(provided_data = a | b | c). */
static void drbg_update(crypto_hmac_drbg *d, struct piece a, struct piece b, struct piece c)
{
    const size_t provided = a.n + b.n + c.n;
    for (uint8_t round = 0; round < 2; round++) {
        crypto_hmac_sha256_ctx h;
        crypto_hmac_sha256_init(&h, d->k, sizeof d->k);
        crypto_hmac_sha256_update(&h, d->v, sizeof d->v);
        crypto_hmac_sha256_update(&h, &round, 1);
        crypto_hmac_sha256_update(&h, a.p, a.n);
        crypto_hmac_sha256_update(&h, b.p, b.n);
        crypto_hmac_sha256_update(&h, c.p, c.n);
        crypto_hmac_sha256_final(&h, d->k);
        crypto_hmac_sha256(d->k, sizeof d->k, d->v, sizeof d->v, d->v);
        if (provided == 0) {
            break;
        }
    }
}

static const struct piece none = {NULL, 0};

int crypto_hmac_drbg_instantiate(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                                 const void *nonce, size_t nonce_len, const void *pers,
                                 size_t pers_len)
{
    if (entropy_len < CRYPTO_HMAC_DRBG_MIN_ENTROPY ||
        entropy_len + nonce_len < CRYPTO_HMAC_DRBG_MIN_SEED) {
        return APG_EINVAL;
    }
    memset(d->k, 0x00, sizeof d->k);
    memset(d->v, 0x01, sizeof d->v);
    drbg_update(d, (struct piece){entropy, entropy_len}, (struct piece){nonce, nonce_len},
                (struct piece){pers, pers_len});
    d->reseed_counter = 1;
    return APG_OK;
}

int crypto_hmac_drbg_reseed(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                            const void *additional, size_t additional_len)
{
    if (d->reseed_counter == 0) {
        return APG_ESTATE;
    }
    if (entropy_len < CRYPTO_HMAC_DRBG_MIN_ENTROPY) {
        return APG_EINVAL;
    }
    drbg_update(d, (struct piece){entropy, entropy_len},
                (struct piece){additional, additional_len}, none);
    d->reseed_counter = 1;
    return APG_OK;
}

int crypto_hmac_drbg_generate(crypto_hmac_drbg *d, uint8_t *out, size_t out_len,
                              const void *additional, size_t additional_len)
{
    if (out_len > CRYPTO_HMAC_DRBG_MAX_REQUEST) {
        return APG_EINVAL;
    }
    if (d->reseed_counter == 0 || d->reseed_counter > APOGEE_CRYPTO_DRBG_RESEED_INTERVAL) {
        return APG_ESTATE;
    }
    const struct piece add = {additional, additional_len};
    if (additional_len != 0) {
        drbg_update(d, add, none, none);
    }
    while (out_len != 0) {
        crypto_hmac_sha256(d->k, sizeof d->k, d->v, sizeof d->v, d->v);
        size_t n = out_len < sizeof d->v ? out_len : sizeof d->v;
        memcpy(out, d->v, n);
        out += n;
        out_len -= n;
    }
    drbg_update(d, add, none, none);
    d->reseed_counter++;
    return APG_OK;
}

void crypto_hmac_drbg_uninstantiate(crypto_hmac_drbg *d)
{
    crypto_wipe(d, sizeof *d);
}
