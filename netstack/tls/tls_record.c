/* tls_record.c - TLS 1.3 record protection; see tls_record.h. */
#include "tls_record.h"

#include <string.h>

#include "apogee/err.h"
#include "chacha20poly1305.h"
#include "ct.h"
#include "gcm.h"
#include "tls_defs.h"
#include "tls.h"
#include "tls_keys.h"

size_t tls_suite_key_len(uint16_t suite) { return suite == TLS_AES_128_GCM_SHA256 ? 16u : 32u; }

uint8_t tls_suite_hash(uint16_t suite)
{
    return suite == TLS_AES_256_GCM_SHA384 ? TLS_HASH_SHA384 : TLS_HASH_SHA256;
}

void tls_aead_install(tls_aead *a, uint16_t suite, const uint8_t *secret)
{
    uint8_t alg = tls_suite_hash(suite);
    memset(a, 0, sizeof *a);
    tls_expand_label(alg, secret, "key", NULL, 0, a->key, tls_suite_key_len(suite));
    tls_expand_label(alg, secret, "iv", NULL, 0, a->iv, 12);
    a->suite = suite;
}

void tls_aead_wipe(tls_aead *a) { crypto_wipe(a, sizeof *a); }

static void nonce_of(const tls_aead *a, uint8_t nonce[12])
{
    memcpy(nonce, a->iv, 12);
    for (unsigned i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(a->seq >> (8 * i));
}

/* TLS_FUZZ_UNSAFE_NULL_AEAD (fuzzing builds only, never a product): records
 * are "protected" by a zero tag and no encryption, so a fuzzer can reach the
 * handshake messages that follow the ServerHello. */
size_t tls_aead_seal(tls_aead *a, uint8_t *rec, size_t inner_len)
{
    uint8_t nonce[12];
    size_t ct_len = inner_len + TLS_AEAD_TAG;
    rec[0] = TLS_CT_APPDATA;
    rec[1] = 3;
    rec[2] = 3;
    rec[3] = (uint8_t)(ct_len >> 8);
    rec[4] = (uint8_t)ct_len;
    nonce_of(a, nonce);
#ifdef TLS_FUZZ_UNSAFE_NULL_AEAD
    memset(rec + 5 + inner_len, 0, TLS_AEAD_TAG);
    a->seq++;
    return 5 + ct_len;
#endif
    if ((APOGEE_TLS_SUITES & TLS_SUITE_CHACHA20) && a->suite == TLS_CHACHA20_POLY1305_SHA256) {
        crypto_chacha20poly1305_seal_appended(rec + 5, a->key, nonce, rec, 5, rec + 5,
                                              inner_len);
    } else if (APOGEE_TLS_SUITES & (TLS_SUITE_AES_128_GCM | TLS_SUITE_AES_256_GCM)) {
        crypto_aes_gcm_ctx g;
        (void)crypto_aes_gcm_init(&g, a->key, tls_suite_key_len(a->suite));
        crypto_aes_gcm_seal_appended(&g, rec + 5, nonce, rec, 5, rec + 5, inner_len);
        crypto_aes_gcm_wipe(&g);
    }
    a->seq++;
    return 5 + ct_len;
}

int tls_aead_open(tls_aead *a, uint8_t *rec, size_t ct_len)
{
    uint8_t nonce[12];
    int r = APG_EAUTH;
    if (ct_len < TLS_AEAD_TAG + 1)
        return APG_EBADMSG;
    nonce_of(a, nonce);
#ifdef TLS_FUZZ_UNSAFE_NULL_AEAD
    a->seq++;
    return (int)(ct_len - TLS_AEAD_TAG);
#endif
    if ((APOGEE_TLS_SUITES & TLS_SUITE_CHACHA20) && a->suite == TLS_CHACHA20_POLY1305_SHA256) {
        r = crypto_chacha20poly1305_open_appended(rec + 5, a->key, nonce, rec, 5, rec + 5,
                                                  ct_len);
    } else if (APOGEE_TLS_SUITES & (TLS_SUITE_AES_128_GCM | TLS_SUITE_AES_256_GCM)) {
        crypto_aes_gcm_ctx g;
        (void)crypto_aes_gcm_init(&g, a->key, tls_suite_key_len(a->suite));
        r = crypto_aes_gcm_open_appended(&g, rec + 5, nonce, rec, 5, rec + 5, ct_len);
        crypto_aes_gcm_wipe(&g);
    }
    if (r < 0)
        return APG_EAUTH;
    a->seq++;
    return r;
}
