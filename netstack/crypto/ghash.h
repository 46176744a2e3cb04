/*
 * ghash.h - GHASH, the universal hash of GCM (NIST SP 800-38D), constant time.
 *
 * Multiplication in GF(2^128) is done with 32x32-bit integer multiplies whose
 * operands have "holes" (only every 4th bit set), so carries never reach a bit
 * that matters: no tables, no data-dependent branches, and only the 32-bit
 * result MUL, which is constant time on Cortex-M (UMULL is not on a Cortex-M3).
 *
 * The key (derived from H once per AES key, 72 bytes, read-only afterwards)
 * is kept apart from the running state so one key serves many messages.
 * Inputs are absorbed as a byte stream; crypto_ghash_pad() zero-pads to a
 * block boundary, as GCM does after the AAD and after the ciphertext.
 */
#ifndef CRYPTO_GHASH_H
#define CRYPTO_GHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[9];  /* the 9 Karatsuba operands of H (polynomial order) */
    uint32_t hr[9]; /* the same, bit-reversed */
} crypto_ghash_key;

typedef struct {
    uint32_t y[4];   /* accumulator, polynomial order: bit i of y[j] is x^(32j+i) */
    uint8_t buf[16]; /* partial block */
    size_t fill;     /* bytes in buf, 0..15 */
} crypto_ghash_ctx;

/* h is the 16-byte hash key, E_K(0^128) for GCM. */
void crypto_ghash_key_init(crypto_ghash_key *k, const uint8_t h[16]);
void crypto_ghash_init(crypto_ghash_ctx *c);
/* data may be NULL when len is 0. */
void crypto_ghash_update(crypto_ghash_ctx *c, const crypto_ghash_key *k, const void *data,
                         size_t len);
/* Absorb a buffered partial block, zero-padded; no-op on a block boundary. */
void crypto_ghash_pad(crypto_ghash_ctx *c, const crypto_ghash_key *k);
/* Pad, write the 16-byte GHASH value, wipe c. */
void crypto_ghash_final(crypto_ghash_ctx *c, const crypto_ghash_key *k, uint8_t out[16]);

#endif /* CRYPTO_GHASH_H */
