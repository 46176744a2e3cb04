/*
 * poly1305.h - the Poly1305 one-time authenticator (RFC 8439).
 *
 * A Poly1305 key authenticates ONE message: never reuse it (the AEAD derives a
 * fresh one per nonce). Streaming: init with the 32-byte one-time key, update
 * with any lengths, final writes the 16-byte tag and wipes the context.
 * Compare tags with crypto_ct_equal(). Timing depends on lengths only.
 */
#ifndef CRYPTO_POLY1305_H
#define CRYPTO_POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_POLY1305_KEY_SIZE 32u
#define CRYPTO_POLY1305_TAG_SIZE 16u

typedef struct {
    uint32_t r[4];    /* clamped multiplier, radix 2^32 */
    uint32_t h[5];    /* accumulator, radix 2^32, h[4] holds the few bits above 2^128 */
    uint32_t pad[4];  /* s, added at the end */
    uint8_t buf[16];  /* partial block */
    size_t fill;      /* bytes in buf, 0..15 */
} crypto_poly1305_ctx;

void crypto_poly1305_init(crypto_poly1305_ctx *c, const uint8_t key[32]);
/* data may be NULL when len is 0. */
void crypto_poly1305_update(crypto_poly1305_ctx *c, const void *data, size_t len);
/* Write the 16-byte tag and wipe c. */
void crypto_poly1305_final(crypto_poly1305_ctx *c, uint8_t tag[16]);
void crypto_poly1305(const void *msg, size_t len, const uint8_t key[32], uint8_t tag[16]);

#endif /* CRYPTO_POLY1305_H */
