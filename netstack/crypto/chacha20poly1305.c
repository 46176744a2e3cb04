/*
 * chacha20poly1305.c - RFC 8439 AEAD construction over chacha20.c and
 * poly1305.c: the one-time Poly1305 key is the first 32 bytes of ChaCha20
 * block 0, the payload uses blocks 1.., and the MAC covers
 * aad | pad16 | ct | pad16 | le64(aad_len) | le64(ct_len).
 */
#include "chacha20poly1305.h"

#include <string.h>

#include "apogee/err.h"
#include "chacha20.h"
#include "ct.h"
#include "poly1305.h"

/* The tag comparison's result is public once computed; the valgrind
 * constant-time test defines this to VALGRIND_MAKE_MEM_DEFINED so the branch
 * on it is not reported. It costs nothing otherwise. */
#ifndef CRYPTO_DECLASSIFY
#define CRYPTO_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

static void pad16(crypto_poly1305_ctx *mac, size_t len)
{
    static const uint8_t zeros[16];
    if ((len & 15u) != 0) {
        crypto_poly1305_update(mac, zeros, 16u - (len & 15u));
    }
}

static void compute_tag(uint8_t tag[16], const uint8_t key[32], const uint8_t nonce[12],
                        const void *aad, size_t aad_len, const uint8_t *ct, size_t len)
{
    uint8_t block[64];
    crypto_poly1305_ctx mac;
    crypto_chacha20_block(block, key, nonce, 0);
    crypto_poly1305_init(&mac, block);
    crypto_wipe(block, sizeof block);
    crypto_poly1305_update(&mac, aad, aad_len);
    pad16(&mac, aad_len);
    crypto_poly1305_update(&mac, ct, len);
    pad16(&mac, len);
    uint8_t lens[16];
    uint64_t a = aad_len, m = len;
    for (unsigned i = 0; i < 8; i++) {
        lens[i] = (uint8_t)(a >> (8 * i));
        lens[8 + i] = (uint8_t)(m >> (8 * i));
    }
    crypto_poly1305_update(&mac, lens, sizeof lens);
    crypto_poly1305_final(&mac, tag);
}

void crypto_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[16], const uint8_t key[32],
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len)
{
    crypto_chacha20(ct, pt, len, key, nonce, 1);
    compute_tag(tag, key, nonce, aad, aad_len, ct, len);
}

int crypto_chacha20poly1305_open(uint8_t *pt, const uint8_t key[32], const uint8_t nonce[12],
                                 const void *aad, size_t aad_len, const uint8_t *ct,
                                 size_t len, const uint8_t tag[16])
{
    uint8_t want[16];
    compute_tag(want, key, nonce, aad, aad_len, ct, len);
    int ok = crypto_ct_equal(want, tag, sizeof want);
    crypto_wipe(want, sizeof want);
    CRYPTO_DECLASSIFY(&ok, sizeof ok);
    if (!ok) {
        if (len != 0) {
            memset(pt, 0, len);
        }
        return APG_EAUTH;
    }
    crypto_chacha20(pt, ct, len, key, nonce, 1);
    return APG_OK;
}

void crypto_chacha20poly1305_seal_appended(uint8_t *out, const uint8_t key[32],
                                           const uint8_t nonce[12], const void *aad,
                                           size_t aad_len, const uint8_t *pt, size_t len)
{
    crypto_chacha20poly1305_seal(out, out + len, key, nonce, aad, aad_len, pt, len);
}

int crypto_chacha20poly1305_open_appended(uint8_t *out, const uint8_t key[32],
                                          const uint8_t nonce[12], const void *aad,
                                          size_t aad_len, const uint8_t *in, size_t in_len)
{
    if (in_len < 16u) {
        return APG_EINVAL;
    }
    size_t len = in_len - 16u;
    if (len > (size_t)(~0u >> 1)) { /* INT_MAX: the length must fit the return value */
        return APG_EMSGSIZE;
    }
    uint8_t tag[16];
    memcpy(tag, in + len, sizeof tag); /* out may equal in: keep the tag safe */
    int rc = crypto_chacha20poly1305_open(out, key, nonce, aad, aad_len, in, len, tag);
    return rc < 0 ? rc : (int)len;
}
