/*
 * hkdf.h - HKDF (RFC 5869) with HMAC-SHA256 and HMAC-SHA384.
 *
 * Extract: prk = HMAC(salt, ikm). A NULL/empty salt means HashLen zero bytes,
 * as the RFC says. prk is HashLen bytes (32 or 48).
 * Expand: okm = T(1) | T(2) | ... truncated to okm_len, with
 * T(i) = HMAC(prk, T(i-1) | info | i). okm_len may be at most 255 * HashLen;
 * beyond that expand returns APG_EINVAL and writes nothing.
 * TLS 1.3's HKDF-Expand-Label is expand() with an encoded HkdfLabel as info; it
 * belongs to the TLS layer. prk may be any length (RFC 5869 allows it); TLS
 * always passes HashLen bytes. Outputs may not overlap inputs.
 */
#ifndef CRYPTO_HKDF_H
#define CRYPTO_HKDF_H

#include <stddef.h>
#include <stdint.h>

void crypto_hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[32]);
/* Returns APG_OK, or APG_EINVAL if okm_len > 255 * 32 = 8160. */
int crypto_hkdf_sha256_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len);

void crypto_hkdf_sha384_extract(const void *salt, size_t salt_len, const void *ikm,
                                size_t ikm_len, uint8_t prk[48]);
/* Returns APG_OK, or APG_EINVAL if okm_len > 255 * 48 = 12240. */
int crypto_hkdf_sha384_expand(const void *prk, size_t prk_len, const void *info,
                              size_t info_len, uint8_t *okm, size_t okm_len);

#endif /* CRYPTO_HKDF_H */
