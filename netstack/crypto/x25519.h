/*
 * x25519.h - X25519 Diffie-Hellman (RFC 7748), for TLS 1.3 key exchange.
 *
 * Keys and shared secrets are 32-byte strings. A private key is any 32 random
 * bytes (clamping happens inside, per RFC 7748 section 5); the public key is
 * crypto_x25519_public_key() of it; both sides then call crypto_x25519() with
 * their private key and the peer's public key and get the same 32 bytes.
 *
 * Constant time in the scalar and in the peer's point: a Montgomery ladder with
 * masked swaps, no secret-dependent branch or memory index, no early exit.
 * No heap; buffers may overlap. Cortex-M3 caveat: its UMULL/SMLAL multiplier
 * terminates early on small operands, so cycle counts (not instruction counts)
 * can vary slightly with the data there; see docs/crypto-25519.md.
 */
#ifndef CRYPTO_X25519_H
#define CRYPTO_X25519_H

#include <stdint.h>

#define CRYPTO_X25519_SIZE 32u

/*
 * out = X25519(scalar, point). Any 32-byte point is accepted as RFC 7748
 * requires: bit 255 is ignored, values >= p (non-canonical u) act as u mod p,
 * and points on the twist are processed like any other.
 *
 * Returns APG_OK, or APG_EAUTH when the result is all zero - the peer sent a
 * point of small order (or its twist equivalent) and the "shared secret" is
 * known to everyone. out is then written (all zeros) anyway, and the caller
 * must abort: TLS 1.3 (RFC 8446 section 7.4.2) requires it.
 * Stack: 964 bytes measured on Cortex-M3 at -Os (docs/crypto-25519.md).
 */
int crypto_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);

/*
 * out = X25519(scalar, 9), the public key of a private scalar. Computed with
 * the Ed25519 fixed-base comb and the birational map u = (1 + y)/(1 - y), about
 * twice as fast as the ladder; equal to crypto_x25519(out, scalar, {9}).
 * Constant time in scalar. Cannot fail. Stack: 1.3 KiB (Cortex-M3, -Os).
 */
void crypto_x25519_public_key(uint8_t out[32], const uint8_t scalar[32]);

#endif /* CRYPTO_X25519_H */
