/*
 * chacha20.h - the ChaCha20 stream cipher as RFC 8439 defines it: 256-bit key,
 * 96-bit nonce, 32-bit block counter.
 *
 * ChaCha20 alone is not authenticated: use chacha20poly1305.h unless you are
 * building a protocol that authenticates otherwise. A (key, nonce) pair must
 * never encrypt two different messages. Timing depends on lengths only.
 */
#ifndef CRYPTO_CHACHA20_H
#define CRYPTO_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_CHACHA20_KEY_SIZE 32u
#define CRYPTO_CHACHA20_NONCE_SIZE 12u
#define CRYPTO_CHACHA20_BLOCK_SIZE 64u

/* out = 64 bytes of keystream for block number `counter`. */
void crypto_chacha20_block(uint8_t out[64], const uint8_t key[32], const uint8_t nonce[12],
                           uint32_t counter);

/* out[i] = in[i] ^ keystream[i] for len bytes, the keystream starting at block
 * `counter` (RFC 8439 uses 1 for AEAD payloads, 0 for the Poly1305 key).
 * in and out may be the same buffer (not partially overlapping). The caller
 * keeps counter + ceil(len / 64) <= 2^32: the counter wraps silently otherwise,
 * which would reuse keystream (TLS records are far below this). */
void crypto_chacha20(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32],
                     const uint8_t nonce[12], uint32_t counter);

#endif /* CRYPTO_CHACHA20_H */
