/*
 * tls_keys.h - the TLS 1.3 hash, transcript and key schedule (RFC 8446 7.1).
 *
 * A cipher suite fixes one hash: SHA-256 (TLS_AES_128_GCM_SHA256,
 * TLS_CHACHA20_POLY1305_SHA256) or SHA-384 (TLS_AES_256_GCM_SHA384). tls_hash
 * holds either running hash; it holds no pointers, so it can be copied to read the
 * transcript hash at a point without ending it (tls_hash_peek).
 *
 * Secrets are TLS_HASH_MAX (48) byte arrays of which the first hash_len bytes are
 * used. All outputs may not overlap inputs. Nothing here can fail for the
 * lengths TLS uses; the label and context lengths are the caller's constants.
 */
#ifndef TLS_KEYS_H
#define TLS_KEYS_H
#include <stddef.h>
#include <stdint.h>
#include "sha256.h"
#include "sha512.h"

#define TLS_HASH_MAX 48u
#define TLS_HASH_SHA256 0u
#define TLS_HASH_SHA384 1u

typedef struct {
    uint8_t alg; /* TLS_HASH_SHA256 or TLS_HASH_SHA384 */
    union {
        crypto_sha256_ctx s256;
        crypto_sha512_ctx s384;
    } u;
} tls_hash;

static inline size_t tls_hash_len(uint8_t alg) { return alg == TLS_HASH_SHA384 ? 48u : 32u; }

void tls_hash_init(tls_hash *h, uint8_t alg);
void tls_hash_update(tls_hash *h, const void *data, size_t len);
/* Digest so far, h unchanged (works on a copy). out: tls_hash_len bytes. */
void tls_hash_peek(const tls_hash *h, uint8_t *out);
/* One-shot hash of data. */
void tls_hash_once(uint8_t alg, const void *data, size_t len, uint8_t *out);
void tls_hmac(uint8_t alg, const uint8_t *key, size_t key_len, const void *msg, size_t len,
              uint8_t *out);
/* HKDF-Extract(salt, ikm); a NULL salt is hash_len zeros, a NULL ikm too. */
void tls_hkdf_extract(uint8_t alg, const uint8_t *salt, const uint8_t *ikm, uint8_t *prk);
/* HKDF-Expand-Label(secret, "tls13 " label, context, out_len) (RFC 8446 7.1).
 * label at most 12 characters (the longest TLS uses), ctx_len at most 48,
 * out_len at most 255. */
void tls_expand_label(uint8_t alg, const uint8_t *secret, const char *label,
                      const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len);
/* Derive-Secret(secret, label, transcript) with the transcript's digest given. */
static inline void tls_derive_secret(uint8_t alg, const uint8_t *secret, const char *label,
                                     const uint8_t *digest, uint8_t *out)
{
    tls_expand_label(alg, secret, label, digest, tls_hash_len(alg), out, tls_hash_len(alg));
}
/* next = HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm): the step from the
 * early secret to the handshake secret (ikm = (EC)DHE) and from the handshake
 * secret to the master secret (ikm NULL = zeros). */
void tls_next_stage(uint8_t alg, const uint8_t *prev, const uint8_t *ikm, size_t ikm_len,
                    uint8_t *next);
/* Finished verify_data = HMAC(Expand-Label(base, "finished", "", Hash.length),
 * transcript digest). out: hash_len bytes. */
void tls_finished_mac(uint8_t alg, const uint8_t *base_secret, const uint8_t *digest,
                      uint8_t *out);

#endif /* TLS_KEYS_H */
