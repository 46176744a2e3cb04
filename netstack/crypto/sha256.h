/*
 * sha256.h - SHA-256 (FIPS 180-4).
 *
 * Streaming: init, any number of updates (any lengths, including 0), final.
 * The context is caller-owned (static or on the stack, 108 bytes) and holds no
 * pointers, so it may be copied to fork a running hash (TLS transcript hashes
 * do this). final() wipes the context; init() it again before reuse.
 * Timing depends on the lengths only, never on the bytes hashed.
 */
#ifndef CRYPTO_SHA256_H
#define CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_SIZE 32u       /* digest bytes */
#define CRYPTO_SHA256_BLOCK_SIZE 64u /* compression block bytes (HMAC uses it) */

typedef struct {
    uint32_t h[8];    /* chaining state */
    uint64_t len;     /* bytes hashed so far */
    uint8_t buf[64];  /* partial block */
    size_t fill;      /* bytes in buf, 0..63 */
} crypto_sha256_ctx;

void crypto_sha256_init(crypto_sha256_ctx *c);
/* Absorb len bytes; data may be NULL when len is 0. */
void crypto_sha256_update(crypto_sha256_ctx *c, const void *data, size_t len);
/* Write the 32-byte digest and wipe c. */
void crypto_sha256_final(crypto_sha256_ctx *c, uint8_t out[32]);
/* One shot: out = SHA-256(data[0..len)). */
void crypto_sha256(const void *data, size_t len, uint8_t out[32]);

#endif /* CRYPTO_SHA256_H */
