/*
 * ed25519.h - Ed25519 signatures (RFC 8032 section 5.1, "pure" Ed25519: no
 * context, no pre-hash), for TLS 1.3 CertificateVerify and signed images.
 *
 * Keys: a 32-byte random seed is the private key; crypto_ed25519_keypair()
 * expands it into the 32-byte public key and a 64-byte signing key
 * (seed || public key), the layout RFC 8032 implementations share.
 *
 * Verification is COFACTORLESS: it accepts exactly when
 *     encode([S]B - [k]A) == R,   k = SHA-512(R || A || M) mod L,
 * byte for byte, which RFC 8032 section 5.1.7 allows ("sufficient, but not
 * required" to check the cofactored equation) and which is what OpenSSL (and so
 * Python's `cryptography`) does. Every honestly made signature passes both
 * checks; they differ only on signatures crafted with small-order components,
 * where this check is the stricter. Also rejected: S >= L (malleability), a
 * public key that is not a canonical point encoding (y >= p, no square root,
 * x = 0 with the sign bit set). R needs no separate check: a non-canonical R
 * never equals the canonical encoding computed here.
 *
 * Signing and key generation are constant time in the seed and the secret
 * nonce (fixed-base comb, Barrett reductions mod L); verification is variable
 * time and must only see public data. No heap. Stack figures: see
 * docs/crypto-25519.md.
 */
#ifndef CRYPTO_ED25519_H
#define CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_ED25519_SEED_SIZE 32u
#define CRYPTO_ED25519_PUBLIC_KEY_SIZE 32u
#define CRYPTO_ED25519_SECRET_KEY_SIZE 64u
#define CRYPTO_ED25519_SIGNATURE_SIZE 64u

/* Derive the key pair of a 32-byte seed: sk = seed || pk. Cannot fail.
 * pk or sk may be NULL when not wanted. Stack: 1.3 KiB (Cortex-M3, -Os). */
void crypto_ed25519_keypair(uint8_t pk[32], uint8_t sk[64], const uint8_t seed[32]);

/*
 * sig = R || S, the deterministic signature of msg[0..len) (msg may be NULL
 * when len is 0). sk must be exactly what crypto_ed25519_keypair() produced:
 * the public-key half is trusted, not recomputed (that would double the cost),
 * and signing one message under one seed with two different public-key halves
 * reveals the private key. sig may not overlap msg. Stack: 1.4 KiB.
 */
void crypto_ed25519_sign(uint8_t sig[64], const uint8_t sk[64], const void *msg, size_t len);

/*
 * APG_OK if sig is a valid signature of msg[0..len) under pk (see the rules
 * above), APG_EAUTH otherwise - for every malformed sig or pk as well. Stack:
 * 3.1 KiB (Cortex-M3, -Os).
 */
int crypto_ed25519_verify(const uint8_t sig[64], const uint8_t pk[32], const void *msg,
                          size_t len);

#endif /* CRYPTO_ED25519_H */
