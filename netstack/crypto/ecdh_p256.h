/*
 * ecdh_p256.h - Elliptic-curve Diffie-Hellman on NIST P-256 (TLS secp256r1).
 *
 * Keys: a private key is 32 big-endian bytes holding an integer d with
 * 1 <= d < n (n the group order); the public key is dG as a 65-byte uncompressed
 * SEC1 point (0x04 || x || y). The same pair serves ECDSA (ecdsa_p256.h).
 * A private key can be made from 32 random bytes: values outside [1, n-1] occur
 * with probability below 2^-32; draw again on APG_EINVAL.
 *
 * Both functions are constant time in the private key (complete formulas,
 * masked table reads, Fermat inversion): see p256.h. Stack measured on
 * Cortex-M3 (-Os): 1.0 KiB for the public key, 2.5 KiB for the shared secret.
 */
#ifndef CRYPTO_ECDH_P256_H
#define CRYPTO_ECDH_P256_H

#include <stdint.h>

#define CRYPTO_P256_PRIVATE_LEN 32
#define CRYPTO_P256_PUBLIC_LEN 65
#define CRYPTO_P256_SHARED_LEN 32

/* pub = d G. Returns APG_OK, or APG_EINVAL if d is 0 or >= n (pub then zeroed). */
int crypto_p256_public_key(uint8_t pub[CRYPTO_P256_PUBLIC_LEN],
                           const uint8_t priv[CRYPTO_P256_PRIVATE_LEN]);

/* shared = x coordinate of d * peer (32 big-endian bytes, the TLS premaster).
 * Returns APG_OK;
 *   APG_EBADMSG if peer is not a valid point: prefix not 0x04 (this includes
 *     the infinity encoding and compressed points), a coordinate >= p, or not on
 *     the curve;
 *   APG_EINVAL if d is 0 or >= n.
 * On any error shared is zeroed. */
int crypto_p256_ecdh(uint8_t shared[CRYPTO_P256_SHARED_LEN],
                     const uint8_t priv[CRYPTO_P256_PRIVATE_LEN],
                     const uint8_t peer[CRYPTO_P256_PUBLIC_LEN]);

#endif /* CRYPTO_ECDH_P256_H */
