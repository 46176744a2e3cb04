/*
 * drbg.h - HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1, section 10.1.2),
 * security strength 256 bits.
 *
 * This module only stretches entropy: the caller supplies the seed bytes
 * (from the board's entropy source, not written yet) at instantiate and
 * reseed. It keeps no global state; the caller owns the struct.
 *
 *  - instantiate: entropy >= 32 bytes, and entropy + nonce >= 48 bytes (the
 *    nonce may be NULL/0 if the entropy carries the extra 16 bytes);
 *    personalization is optional. Otherwise APG_EINVAL.
 *  - reseed: entropy >= 32 bytes; additional input optional.
 *  - generate: up to CRYPTO_HMAC_DRBG_MAX_REQUEST bytes (else APG_EINVAL);
 *    returns APG_ESTATE, writing nothing, once the reseed counter has passed
 *    APOGEE_CRYPTO_DRBG_RESEED_INTERVAL or before instantiation: reseed then.
 *    For prediction resistance, reseed with fresh entropy before each generate.
 *  - uninstantiate wipes the state.
 * All inputs may be NULL when their length is 0.
 */
#ifndef CRYPTO_DRBG_H
#define CRYPTO_DRBG_H

#include <stddef.h>
#include <stdint.h>

/* Generate requests allowed between reseeds (SP 800-90A allows up to 2^48). */
#ifndef APOGEE_CRYPTO_DRBG_RESEED_INTERVAL
#define APOGEE_CRYPTO_DRBG_RESEED_INTERVAL 100000u
#endif

#define CRYPTO_HMAC_DRBG_MAX_REQUEST 65536u /* 2^19 bits */
#define CRYPTO_HMAC_DRBG_MIN_ENTROPY 32u
#define CRYPTO_HMAC_DRBG_MIN_SEED 48u /* entropy + nonce */

typedef struct {
    uint8_t k[32];           /* Key */
    uint8_t v[32];           /* V */
    uint32_t reseed_counter; /* 0 = not instantiated; 1 after (re)seeding */
} crypto_hmac_drbg;

int crypto_hmac_drbg_instantiate(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                                 const void *nonce, size_t nonce_len, const void *pers,
                                 size_t pers_len);
int crypto_hmac_drbg_reseed(crypto_hmac_drbg *d, const void *entropy, size_t entropy_len,
                            const void *additional, size_t additional_len);
int crypto_hmac_drbg_generate(crypto_hmac_drbg *d, uint8_t *out, size_t out_len,
                              const void *additional, size_t additional_len);
void crypto_hmac_drbg_uninstantiate(crypto_hmac_drbg *d);

#endif /* CRYPTO_DRBG_H */
