/* tls_keys.c - TLS 1.3 hashing and key schedule; see tls_keys.h. */
#include "tls_keys.h"

#include "tls.h"

#include <string.h>

#include "ct.h"
#include "hkdf.h"
#include "hmac.h"

/* SHA-384 exists only for TLS_AES_256_GCM_SHA384: without it, none is linked. */
#define SHA384(alg) ((APOGEE_TLS_SUITES & TLS_SUITE_AES_256_GCM) && (alg) == TLS_HASH_SHA384)

void tls_hash_init(tls_hash *h, uint8_t alg)
{
    h->alg = alg;
    if (SHA384(alg))
        crypto_sha384_init(&h->u.s384);
    else
        crypto_sha256_init(&h->u.s256);
}

void tls_hash_update(tls_hash *h, const void *data, size_t len)
{
    if (SHA384(h->alg))
        crypto_sha512_update(&h->u.s384, data, len);
    else
        crypto_sha256_update(&h->u.s256, data, len);
}

void tls_hash_peek(const tls_hash *h, uint8_t *out)
{
    tls_hash t = *h;
    if (SHA384(t.alg))
        crypto_sha384_final(&t.u.s384, out);
    else
        crypto_sha256_final(&t.u.s256, out);
}

void tls_hash_once(uint8_t alg, const void *data, size_t len, uint8_t *out)
{
    if (SHA384(alg))
        crypto_sha384(data, len, out);
    else
        crypto_sha256(data, len, out);
}

void tls_hmac(uint8_t alg, const uint8_t *key, size_t key_len, const void *msg, size_t len,
              uint8_t *out)
{
    if (SHA384(alg))
        crypto_hmac_sha384(key, key_len, msg, len, out);
    else
        crypto_hmac_sha256(key, key_len, msg, len, out);
}

static const uint8_t zeros[TLS_HASH_MAX];

void tls_hkdf_extract(uint8_t alg, const uint8_t *salt, const uint8_t *ikm, uint8_t *prk)
{
    size_t n = tls_hash_len(alg);
    if (!salt)
        salt = zeros;
    if (!ikm)
        ikm = zeros;
    if (SHA384(alg))
        crypto_hkdf_sha384_extract(salt, n, ikm, n, prk);
    else
        crypto_hkdf_sha256_extract(salt, n, ikm, n, prk);
}

void tls_expand_label(uint8_t alg, const uint8_t *secret, const char *label,
                      const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    /* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
    uint8_t info[2 + 1 + 6 + 12 + 1 + TLS_HASH_MAX];
    size_t ll = strlen(label), n = 0;
    if (ll > 12)
        ll = 12;
    if (ctx_len > TLS_HASH_MAX)
        ctx_len = TLS_HASH_MAX;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = (uint8_t)ctx_len;
    if (ctx_len)
        memcpy(info + n, ctx, ctx_len);
    n += ctx_len;
    if (SHA384(alg))
        (void)crypto_hkdf_sha384_expand(secret, 48, info, n, out, out_len);
    else
        (void)crypto_hkdf_sha256_expand(secret, 32, info, n, out, out_len);
}

void tls_next_stage(uint8_t alg, const uint8_t *prev, const uint8_t *ikm, size_t ikm_len,
                    uint8_t *next)
{
    uint8_t empty[TLS_HASH_MAX], derived[TLS_HASH_MAX];
    size_t n = tls_hash_len(alg);
    tls_hash_once(alg, NULL, 0, empty);
    tls_derive_secret(alg, prev, "derived", empty, derived);
    if (!ikm) {
        ikm = zeros;
        ikm_len = n;
    }
    if (SHA384(alg))
        crypto_hkdf_sha384_extract(derived, n, ikm, ikm_len, next);
    else
        crypto_hkdf_sha256_extract(derived, n, ikm, ikm_len, next);
    crypto_wipe(derived, sizeof derived);
}

void tls_finished_mac(uint8_t alg, const uint8_t *base_secret, const uint8_t *digest,
                      uint8_t *out)
{
    uint8_t fk[TLS_HASH_MAX];
    size_t n = tls_hash_len(alg);
    tls_expand_label(alg, base_secret, "finished", NULL, 0, fk, n);
    tls_hmac(alg, fk, n, digest, n, out);
    crypto_wipe(fk, sizeof fk);
}
