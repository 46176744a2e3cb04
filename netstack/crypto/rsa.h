/*
 * rsa.h - the RSA public operation (s^e mod n) for signature verification.
 *
 * A public key is the modulus n and the public exponent e, both as big-endian
 * byte strings exactly as X.509 carries them (a leading 0x00 is allowed and
 * ignored). Supported moduli are CRYPTO_RSA_MIN_BITS to CRYPTO_RSA_MAX_BITS
 * bits; smaller ones are refused on policy (APG_ENOTSUP), since 1024-bit RSA no
 * longer authenticates anything, and larger ones do not fit the fixed buffers.
 *
 * Arithmetic is Montgomery multiplication from bignum.h. Stack: about 4.4 KiB at
 * the 4096-bit maximum (the 1 KiB modulus context and 512-byte numbers).
 */
#ifndef CRYPTO_RSA_H
#define CRYPTO_RSA_H

#include <stddef.h>
#include <stdint.h>

#include "bignum.h"

#define CRYPTO_RSA_MIN_BITS 2048
#define CRYPTO_RSA_MAX_BITS APOGEE_BN_MAX_BITS
#define CRYPTO_RSA_MAX_BYTES (CRYPTO_RSA_MAX_BITS / 8)

/*
 * out = sig^e mod n, written as k bytes where k is the byte length of n (after
 * leading zeros). *mod_bits receives n's bit length. Returns APG_OK or:
 *   APG_ENOTSUP  n has fewer than CRYPTO_RSA_MIN_BITS or more than
 *                CRYPTO_RSA_MAX_BITS bits;
 *   APG_EINVAL   n is even, or e is even, 1, zero, or not below n;
 *   APG_EAUTH    sig_len != k, or the signature as an integer is >= n
 *                (RFC 8017 RSAVP1: "signature representative out of range");
 *   APG_EMSGSIZE out_cap < k.
 */
int crypto_rsa_public(uint8_t *out, size_t out_cap, size_t *mod_bits, const uint8_t *n,
                      size_t n_len, const uint8_t *e, size_t e_len, const uint8_t *sig,
                      size_t sig_len);

#endif /* CRYPTO_RSA_H */
