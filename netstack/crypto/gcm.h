/*
 * gcm.h - AES-GCM authenticated encryption (NIST SP 800-38D), constant time,
 * as TLS_AES_128_GCM_SHA256 and TLS_AES_256_GCM_SHA384 use it.
 *
 * A keyed context (crypto_aes_gcm_init) holds the bitsliced AES round keys and
 * the GHASH key; it is read-only afterwards and serves any number of messages.
 * Wipe it with crypto_aes_gcm_wipe() when the key is retired.
 *
 * Every (key, IV) pair must seal at most one message. IVs of 12 bytes are the
 * normal case (TLS); other lengths (1 byte and up) are hashed as the standard
 * says. Tags of 4..16 bytes are accepted (16 unless a protocol says otherwise;
 * short tags weaken authentication). Messages up to 2^32 - 2 blocks; no check.
 *
 * seal: ct and pt may be the same buffer (in place), not partially overlapping.
 * open: the tag is verified in constant time BEFORE any decryption, so on
 *   failure no plaintext is ever produced: pt is zero-filled (all len bytes)
 *   and APG_EAUTH returned. In place works (on failure the buffer is zeroed).
 * Functions return APG_EINVAL (writing nothing) for an unsupported key, IV or
 * tag length. aad/pt/ct may be NULL when their length is 0.
 */
#ifndef CRYPTO_GCM_H
#define CRYPTO_GCM_H

#include <stddef.h>
#include <stdint.h>

#include "aes.h"
#include "ghash.h"

#define CRYPTO_GCM_TAG_SIZE 16u
#define CRYPTO_GCM_NONCE_SIZE 12u

typedef struct {
    crypto_aes_ctx aes;
    crypto_ghash_key ghash;
} crypto_aes_gcm_ctx;

/* key_len 16, 24 or 32. Returns APG_OK, APG_EINVAL, or APG_ENOTSUP for a key
 * longer than APOGEE_CRYPTO_AES_MAX_KEY_BITS (aes.h). */
int crypto_aes_gcm_init(crypto_aes_gcm_ctx *c, const uint8_t *key, size_t key_len);
void crypto_aes_gcm_wipe(crypto_aes_gcm_ctx *c);

/* Returns APG_OK, or APG_EINVAL (iv_len 0, tag_len outside 4..16). */
int crypto_aes_gcm_seal(const crypto_aes_gcm_ctx *c, uint8_t *ct, uint8_t *tag,
                        size_t tag_len, const uint8_t *iv, size_t iv_len, const void *aad,
                        size_t aad_len, const uint8_t *pt, size_t len);

/* Returns APG_OK, APG_EAUTH (pt zeroed) or APG_EINVAL. */
int crypto_aes_gcm_open(const crypto_aes_gcm_ctx *c, uint8_t *pt, const uint8_t *iv,
                        size_t iv_len, const void *aad, size_t aad_len, const uint8_t *ct,
                        size_t len, const uint8_t *tag, size_t tag_len);

/* TLS form: 12-byte nonce, 16-byte tag after the ciphertext. out receives
 * len + 16 bytes and may equal pt. */
void crypto_aes_gcm_seal_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len);

/* in: ciphertext then 16-byte tag, in_len bytes. out receives in_len - 16
 * bytes (out may equal in). Returns the plaintext length, APG_EINVAL if
 * in_len < 16, or APG_EAUTH (out zeroed).
 * A plaintext longer than INT_MAX bytes cannot be reported: APG_EMSGSIZE, nothing
 * written (use the detached form). */
int crypto_aes_gcm_open_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                 const uint8_t nonce[12], const void *aad, size_t aad_len,
                                 const uint8_t *in, size_t in_len);

#endif /* CRYPTO_GCM_H */
