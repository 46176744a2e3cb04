/*
 * ecdsa_p256.h - ECDSA over NIST P-256 (TLS ecdsa_secp256r1_sha256).
 *
 * Signatures here are raw: r || s, each 32 big-endian bytes. TLS and X.509 carry
 * them DER-encoded; ecdsa_der.h converts. Keys are those of ecdh_p256.h (a 32-byte
 * private scalar, a 65-byte uncompressed public point).
 *
 * The caller hashes the message. The hash may have any length: per FIPS 186-4
 * and RFC 6979, its leftmost 256 bits are the integer signed (a shorter hash is
 * taken whole), so SHA-256 and SHA-384 digests (32 and 48 bytes) both work.
 */
#ifndef CRYPTO_ECDSA_P256_H
#define CRYPTO_ECDSA_P256_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_ECDSA_P256_SIG_LEN 64

/*
 * Sign with a deterministic nonce (RFC 6979 section 3.2, HMAC-SHA256 as the
 * HMAC_DRBG, whatever the hash's length): the same key and hash always give the
 * same signature, and no random number generator is needed or trusted.
 * Constant time in the private key and the nonce (scalar multiplication with
 * complete formulas, nonce inversion by Fermat); the hash is public.
 * Returns APG_OK, or APG_EINVAL if priv is 0 or >= n (sig then zeroed), or
 * APG_EIO if 16 nonce candidates in a row were rejected (a broken HMAC).
 * Stack: 1.7 KiB (measured on Cortex-M3, -Os).
 */
int crypto_ecdsa_p256_sign(uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN], const uint8_t *hash,
                           size_t hash_len, const uint8_t priv[32]);

/*
 * Sign with a nonce chosen by the caller (1 <= nonce < n, 32 big-endian bytes).
 * For known-answer tests (NIST CAVP SigGen gives k) and protocols that define
 * their own nonce. A nonce reused for two hashes, or biased by even a few bits
 * over many signatures, reveals the private key: prefer crypto_ecdsa_p256_sign.
 * Returns APG_OK, or APG_EINVAL if priv or nonce is out of range or this nonce
 * gives r == 0 or s == 0 (sig then zeroed). Constant time as above.
 */
int crypto_ecdsa_p256_sign_with_nonce(uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN],
                                      const uint8_t *hash, size_t hash_len,
                                      const uint8_t priv[32], const uint8_t nonce[32]);

/*
 * Verify a raw signature over a hash with a public key. Variable time (all
 * inputs are public). Returns
 *   APG_OK       the signature is valid;
 *   APG_EAUTH    it is not, including r or s equal to 0 or >= n;
 *   APG_EBADMSG  the public key is not a valid uncompressed point (prefix not
 *                0x04, coordinate >= p, not on the curve).
 * Stack: 2.6 KiB (measured on Cortex-M3, -Os).
 */
int crypto_ecdsa_p256_verify(const uint8_t *hash, size_t hash_len, const uint8_t pub[65],
                             const uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN]);

#endif /* CRYPTO_ECDSA_P256_H */
