/*
 * ecdsa_der.h - ECDSA signatures between raw r || s and DER (RFC 3279 / X.690):
 *     Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * which is how TLS (CertificateVerify) and X.509 carry them.
 *
 * Decoding is strict DER, as verification must be: one encoding per signature,
 * so a signature cannot be altered into another valid-looking byte string.
 * Rejected: other tags, long-form or non-minimal lengths, indefinite lengths,
 * empty or negative integers, superfluous leading zero bytes, integers longer
 * than the scalar size, and any byte after the sequence. The range checks
 * (0 < r, s < n) belong to the verify function, not to this parser.
 */
#ifndef CRYPTO_ECDSA_DER_H
#define CRYPTO_ECDSA_DER_H

#include <stddef.h>
#include <stdint.h>

/* The longest DER signature for a 32-byte scalar: 2 + 2 * (2 + 33). */
#define CRYPTO_ECDSA_P256_DER_MAX 72

/* Encode raw (r || s, 2 * scalar_len bytes, big-endian) as DER into out.
 * scalar_len is 1..64 (32 for P-256). Returns the length written, or
 * APG_EMSGSIZE if out_cap is too small, APG_EINVAL for a bad scalar_len. */
int crypto_ecdsa_sig_to_der(uint8_t *out, size_t out_cap, const uint8_t *raw, size_t scalar_len);

/* Decode a DER signature into raw r || s (2 * scalar_len bytes, each integer
 * left-padded with zeros). Returns APG_OK or APG_EBADMSG. */
int crypto_ecdsa_sig_from_der(uint8_t *raw, size_t scalar_len, const uint8_t *der, size_t len);

#endif /* CRYPTO_ECDSA_DER_H */
