/*
 * hmac.h - HMAC (RFC 2104) with SHA-256 and SHA-384.
 *
 * Keys of any length (longer than the hash block are hashed first, as the RFC
 * says). The context holds the inner and outer hash states already keyed, so a
 * keyed context can be copied and reused for many messages without the key.
 * final() wipes the context. Compare MACs with crypto_ct_equal(), never memcmp.
 */
#ifndef CRYPTO_HMAC_H
#define CRYPTO_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "sha512.h"

typedef struct {
    crypto_sha256_ctx inner, outer;
} crypto_hmac_sha256_ctx;

/* key may be NULL when key_len is 0. */
void crypto_hmac_sha256_init(crypto_hmac_sha256_ctx *c, const void *key, size_t key_len);
void crypto_hmac_sha256_update(crypto_hmac_sha256_ctx *c, const void *data, size_t len);
/* Write the 32-byte MAC and wipe c. */
void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c, uint8_t out[32]);
void crypto_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[32]);

typedef struct {
    crypto_sha512_ctx inner, outer;
} crypto_hmac_sha384_ctx;

void crypto_hmac_sha384_init(crypto_hmac_sha384_ctx *c, const void *key, size_t key_len);
void crypto_hmac_sha384_update(crypto_hmac_sha384_ctx *c, const void *data, size_t len);
/* Write the 48-byte MAC and wipe c. */
void crypto_hmac_sha384_final(crypto_hmac_sha384_ctx *c, uint8_t out[48]);
void crypto_hmac_sha384(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[48]);

#endif /* CRYPTO_HMAC_H */
