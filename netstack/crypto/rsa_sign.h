/*
 * rsa_sign.h - RSASSA-PSS signing (RFC 8017 8.1.1, EMSA-PSS 9.1.1, MGF1) with
 * SHA-256, SHA-384 or SHA-512: the signatures of TLS 1.3's rsa_pss_rsae_sha256
 * (0x0804), rsa_pss_rsae_sha384 (0x0805) and rsa_pss_rsae_sha512 (0x0806).
 *
 * The salt is as long as the hash (RFC 8446 4.2.3 requires that for TLS 1.3)
 * and drawn from the random function given to crypto_rsa_private_init. MGF1
 * uses the same hash as the message. The private-key operation underneath is
 * rsa_private.h: blinded, constant-time CRT with a fault check, so a signature
 * that leaves this module has been verified with the public key.
 *
 * Use in a TLS 1.3 server's CertificateVerify (RFC 8446 4.4.3):
 *
 *     static struct crypto_rsa_private_ctx rsa;  // once, at start-up:
 *     crypto_rsa_private_init(&rsa, &server_key, crypto_rsa_rng_drbg, &drbg);
 *
 *     // per handshake, scheme 0x0804 (SHA-256) or 0x0805 (SHA-384) as chosen
 *     // from the client's signature_algorithms:
 *     //   content = 64 x 0x20 || "TLS 1.3, server CertificateVerify" || 0x00
 *     //             || Transcript-Hash(ClientHello .. Certificate)
 *     //   digest  = Hash(content)            (the scheme's hash, 32 or 48 bytes)
 *     uint8_t sig[CRYPTO_RSA_MAX_BYTES];
 *     size_t sig_len;
 *     int rc = crypto_rsa_pss_sign(&rsa, CRYPTO_RSA_SHA256, digest, 32,
 *                                  sig, sizeof sig, &sig_len);
 *     // rc == APG_OK: send sig[0..sig_len) (sig_len = modulus bytes, 256 for
 *     // RSA-2048) as CertificateVerify.signature. Any other rc: abort the
 *     // handshake with internal_error; never send anything from sig.
 *
 * The caller hashes; this module signs a digest. Cost on Cortex-M3: see
 * docs/crypto-rsa-sign.md (RSA-2048: one signature is essentially one
 * private-key operation). Stack: the private operation's (rsa_private.h) plus
 * under 0.5 KiB for the padding; the encoded message is built in sig itself.
 */
#ifndef CRYPTO_RSA_SIGN_H
#define CRYPTO_RSA_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "rsa_private.h"
#include "rsa_verify.h" /* enum crypto_rsa_hash */

/*
 * Sign the digest (its length must be the hash's: 32, 48 or 64 bytes) with
 * RSASSA-PSS, salt length = hash length, the salt from ctx's random function.
 * Writes k = crypto_rsa_private_size(ctx) bytes to sig and k to *sig_len.
 * Returns APG_OK or:
 *   APG_ESTATE   ctx not initialised;
 *   APG_ENOTSUP  hash is not one of enum crypto_rsa_hash;
 *   APG_EINVAL   digest_len is not the hash's length;
 *   APG_EMSGSIZE sig_cap < k;
 *   APG_EIO      the fault check failed (sig is zeroed: nothing to send);
 *   any error of the random function.
 * On any error sig[0..min(sig_cap, k)) is zeroed and *sig_len is 0.
 */
int crypto_rsa_pss_sign(struct crypto_rsa_private_ctx *ctx, enum crypto_rsa_hash hash,
                        const uint8_t *digest, size_t digest_len, uint8_t *sig, size_t sig_cap,
                        size_t *sig_len);

/*
 * The same with the salt given (salt_len bytes, 0 <= salt_len, and
 * k >= hash length + salt_len + 2, else APG_EINVAL): for known-answer tests
 * and for protocols that fix a salt length other than the hash's. A TLS
 * server uses crypto_rsa_pss_sign: a salt must never repeat.
 */
int crypto_rsa_pss_sign_salt(struct crypto_rsa_private_ctx *ctx, enum crypto_rsa_hash hash,
                             const uint8_t *digest, size_t digest_len, const uint8_t *salt,
                             size_t salt_len, uint8_t *sig, size_t sig_cap, size_t *sig_len);

#endif /* CRYPTO_RSA_SIGN_H */
