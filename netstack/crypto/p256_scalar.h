/*
 * p256_scalar.h - integers modulo the P-256 group order
 * n = ffffffff 00000000 ffffffff ffffffff bce6faad a7179e84 f3b9cac2 fc632551.
 *
 * ECDSA computes with these: the hash as an integer, r, s, the nonce and its
 * inverse. Values are 8 limbs, least significant first, fully reduced (< n).
 * Everything is constant time (built on bignum.h's Montgomery multiplication):
 * the private key and the nonce pass through here when signing.
 */
#ifndef CRYPTO_P256_SCALAR_H
#define CRYPTO_P256_SCALAR_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t p256_sc[8];

extern const p256_sc p256_n;

/* Decode 32 big-endian bytes. Returns 1 if the value is < n, else 0; r receives
 * the value reduced mod n either way (one subtraction suffices as 2^256 < 2n). */
uint32_t p256_sc_from_bytes(p256_sc r, const uint8_t in[32]);
/* Encode as 32 big-endian bytes. */
void p256_sc_to_bytes(uint8_t out[32], const p256_sc a);
/* ECDSA's hash to integer (bits2int of RFC 6979 for a 256-bit order), reduced
 * mod n: the leftmost 256 bits of a hash longer than 32 bytes, the whole value
 * of a shorter one. hash_len may be 0..64. */
void p256_sc_from_hash(p256_sc r, const uint8_t *hash, size_t hash_len);

/* r = a + b mod n */
void p256_sc_add(p256_sc r, const p256_sc a, const p256_sc b);
/* r = a * b mod n */
void p256_sc_mul(p256_sc r, const p256_sc a, const p256_sc b);
/* r = a^(n-2) mod n, the inverse of a non-zero a (0 for 0). Fermat with a fixed
 * 4-bit window over the public exponent: constant time in a. */
void p256_sc_inv(p256_sc r, const p256_sc a);
/* r = a^-1 mod n for 0 < a < n by the binary extended Euclidean algorithm.
 * VARIABLE TIME: for public values only (s in verification); about 10x
 * faster than p256_sc_inv. Returns 0 (and r = 0) when a == 0. */
void p256_sc_inv_vartime(p256_sc r, const p256_sc a);
/* 1 if a == 0 else 0. */
uint32_t p256_sc_is_zero(const p256_sc a);

#endif /* CRYPTO_P256_SCALAR_H */
