/*
 * sc25519.h - integers modulo the Ed25519 group order
 *     L = 2^252 + 27742317777372353535851937790883648493.
 * Internal to netstack/crypto (Ed25519 and the fixed-base comb use it).
 *
 * Scalars travel as 32-byte little-endian strings, as they do on the wire. All
 * functions run in time independent of the values (fixed loops, masked
 * selects), since signing feeds them the secret key and the secret nonce.
 * Outputs may alias inputs. Stack: under 300 bytes each.
 */
#ifndef CRYPTO_SC25519_H
#define CRYPTO_SC25519_H

#include <stdint.h>

/* out = in mod L, for a 64-byte little-endian in (a SHA-512 digest). */
void sc25519_reduce64(uint8_t out[32], const uint8_t in[64]);

/* out = (a * b + c) mod L for any 256-bit a, b, c (reduced or not). */
void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
                    const uint8_t c[32]);

/* 1 if s < L (the canonical encoding RFC 8032 requires of S), else 0.
 * Constant time, though verification only feeds it public data. */
uint32_t sc25519_is_canonical(const uint8_t s[32]);

#endif /* CRYPTO_SC25519_H */
