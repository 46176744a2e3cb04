/*
 * random.h - crypto_random: the random numbers keys, nonces and TLS randoms
 * come from. An HMAC-DRBG (drbg.h) instantiated from the board's entropy
 * source (apogee/entropy.h) and reseeded from it every
 * APOGEE_CRYPTO_DRBG_RESEED_INTERVAL requests.
 *
 * The caller owns the state (static storage, one per application is enough).
 * Apps that use it declare needs=("entropy",) in app.py; the SDK then links
 * this file, the DRBG and the board's entropy driver.
 *
 * On a board without an entropy source the seed was provisioned into the image
 * at build time: every start produces the same sequence, and the DRBG cannot
 * be reseeded, so after APOGEE_CRYPTO_DRBG_RESEED_INTERVAL requests
 * crypto_random_bytes fails with APG_ENOTSUP (docs/entropy.md).
 */
#ifndef CRYPTO_RANDOM_H
#define CRYPTO_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "drbg.h"

typedef struct {
    crypto_hmac_drbg drbg;
} crypto_random;

/*
 * Instantiate from CRYPTO_HMAC_DRBG_MIN_SEED (48) bytes of hal_entropy: 32 of
 * entropy and a 16-byte nonce. pers (optional, may be NULL/0) personalises the
 * instance, e.g. the application's name and a device serial number, so two
 * uses of one seed give different streams.
 * Returns APG_OK, or hal_entropy's error (the state is then wiped and
 * crypto_random_bytes returns APG_ESTATE).
 */
int crypto_random_init(crypto_random *r, const void *pers, size_t pers_len);

/*
 * Fill out with len random bytes (any len; requests above
 * CRYPTO_HMAC_DRBG_MAX_REQUEST are split). Reseeds from hal_entropy (32 bytes)
 * when the DRBG's interval is reached. Returns APG_OK; APG_ESTATE before
 * crypto_random_init succeeded; or the entropy source's error when a due
 * reseed fails (nothing more is produced until a reseed succeeds). On failure
 * the contents of out are unspecified and must not be used.
 */
int crypto_random_bytes(crypto_random *r, void *out, size_t len);

/* Wipe the state; crypto_random_bytes then returns APG_ESTATE. */
void crypto_random_wipe(crypto_random *r);

#endif /* CRYPTO_RANDOM_H */
