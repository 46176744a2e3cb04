/*
 * sha512.h - SHA-512 and SHA-384 (FIPS 180-4).
 *
 * SHA-384 is SHA-512 with other initial values and a truncated output, so both
 * share one context type and one update function: after crypto_sha384_init(),
 * call crypto_sha512_update() then crypto_sha384_final().
 * The context (216 bytes) is caller-owned, holds no pointers and may be copied
 * to fork a running hash. final() wipes it. Timing depends on lengths only.
 */
#ifndef CRYPTO_SHA512_H
#define CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA512_SIZE 64u
#define CRYPTO_SHA384_SIZE 48u
#define CRYPTO_SHA512_BLOCK_SIZE 128u /* also SHA-384's block size */

typedef struct {
    uint64_t h[8];    /* chaining state */
    uint64_t len;     /* bytes hashed so far (inputs < 2^64 bytes) */
    uint8_t buf[128]; /* partial block */
    size_t fill;      /* bytes in buf, 0..127 */
} crypto_sha512_ctx;

void crypto_sha512_init(crypto_sha512_ctx *c);
/* Absorb len bytes (SHA-512 or SHA-384); data may be NULL when len is 0. */
void crypto_sha512_update(crypto_sha512_ctx *c, const void *data, size_t len);
/* Write the 64-byte digest and wipe c. */
void crypto_sha512_final(crypto_sha512_ctx *c, uint8_t out[64]);
void crypto_sha512(const void *data, size_t len, uint8_t out[64]);

void crypto_sha384_init(crypto_sha512_ctx *c);
/* Same as crypto_sha512_update; provided so SHA-384 code reads naturally. */
void crypto_sha384_update(crypto_sha512_ctx *c, const void *data, size_t len);
/* Write the 48-byte digest and wipe c. */
void crypto_sha384_final(crypto_sha512_ctx *c, uint8_t out[48]);
void crypto_sha384(const void *data, size_t len, uint8_t out[48]);

#endif /* CRYPTO_SHA512_H */
