/*
 * rsa_verify.h - RSA signature verification: RSASSA-PKCS1-v1_5 and RSASSA-PSS
 * (RFC 8017 sections 8.1.2 and 8.2.2), as TLS 1.3 and X.509 use them.
 *
 * The caller hashes the message and passes the digest with the hash's id; the
 * digest length must be that hash's (32, 48 or 64 bytes). The key is (n, e) as
 * big-endian bytes, 2048 to 4096 bits (rsa.h). All inputs are public, but the
 * final comparison is constant time anyway.
 *
 * Results: APG_OK for a valid signature, APG_EAUTH for an invalid one (wrong
 * length, representative >= n, any padding or hash mismatch), APG_ENOTSUP for a
 * modulus outside 2048..4096 bits or an unknown hash id, APG_EINVAL for a bad
 * key (even n or e, e == 1, e >= n), a digest of the wrong length, or a bad
 * salt length argument. Stack: 5.4 KiB with the 4096-bit maximum (measured on
 * Cortex-M3, -Os; it scales with APOGEE_BN_MAX_BITS, not with the key).
 */
#ifndef CRYPTO_RSA_VERIFY_H
#define CRYPTO_RSA_VERIFY_H

#include <stddef.h>
#include <stdint.h>

enum crypto_rsa_hash {
    CRYPTO_RSA_SHA256 = 0,
    CRYPTO_RSA_SHA384 = 1,
    CRYPTO_RSA_SHA512 = 2,
};

/* Salt length arguments for PSS besides an exact byte count (>= 0). */
#define CRYPTO_RSA_PSS_SALT_AUTO (-1)    /* any salt length (RFC 8017 allows) */
#define CRYPTO_RSA_PSS_SALT_HASH_LEN (-2) /* salt as long as the hash: TLS 1.3 */

/* PKCS#1 v1.5: the decoded block must equal, byte for byte, the one encoding
 * 00 01 FF..FF 00 DigestInfo(hash, digest) with the DigestInfo's NULL
 * parameters present (RFC 8017 9.2 note 1); no parsing, so no parser to fool. */
int crypto_rsa_verify_pkcs1(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                            enum crypto_rsa_hash hash, const uint8_t *digest, size_t digest_len,
                            const uint8_t *sig, size_t sig_len);

/* PSS with MGF1 over the same hash and trailer 0xBC. salt_len is an exact
 * length in bytes, CRYPTO_RSA_PSS_SALT_HASH_LEN, or CRYPTO_RSA_PSS_SALT_AUTO
 * (the salt length is read from the padding, as RFC 8017 9.1.2 step 10 allows
 * a verifier to). */
int crypto_rsa_verify_pss(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                          enum crypto_rsa_hash hash, const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len, int salt_len);

#endif /* CRYPTO_RSA_VERIFY_H */
