/*
 * gcm.c - GCM over the bitsliced AES (two counter blocks per AES call) and the
 * constant-time GHASH. Open authenticates the ciphertext first and decrypts
 * only after the tag matched.
 */
#include "gcm.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "sym_bytes.h"

/* The tag comparison's result is public once computed; the valgrind
 * constant-time test defines this to VALGRIND_MAKE_MEM_DEFINED. */
#ifndef CRYPTO_DECLASSIFY
#define CRYPTO_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

int crypto_aes_gcm_init(crypto_aes_gcm_ctx *c, const uint8_t *key, size_t key_len)
{
    int rc = crypto_aes_init(&c->aes, key, key_len);
    if (rc != APG_OK) {
        return rc;
    }
    uint8_t h[16] = {0};
    crypto_aes_encrypt(&c->aes, h, h);
    crypto_ghash_key_init(&c->ghash, h);
    crypto_wipe(h, sizeof h);
    return APG_OK;
}

void crypto_aes_gcm_wipe(crypto_aes_gcm_ctx *c)
{
    crypto_wipe(c, sizeof *c);
}

/* J0: IV | 0^31 | 1 for 12-byte IVs, else GHASH(IV | pad | 0^64 | bitlen(IV)). */
static void make_j0(const crypto_aes_gcm_ctx *c, uint8_t j0[16], const uint8_t *iv,
                    size_t iv_len)
{
    if (iv_len == 12u) {
        memcpy(j0, iv, 12);
        sym_store_be32(j0 + 12, 1);
        return;
    }
    crypto_ghash_ctx g;
    uint8_t lens[16] = {0};
    uint64_t bits = (uint64_t)iv_len << 3;
    sym_store_be32(lens + 8, (uint32_t)(bits >> 32));
    sym_store_be32(lens + 12, (uint32_t)bits);
    crypto_ghash_init(&g);
    crypto_ghash_update(&g, &c->ghash, iv, iv_len);
    crypto_ghash_pad(&g, &c->ghash);
    crypto_ghash_update(&g, &c->ghash, lens, sizeof lens);
    crypto_ghash_final(&g, &c->ghash, j0);
}

/* out = in XOR keystream, counter blocks inc32(J0), inc32(J0)+1, ... (32-bit
 * big-endian counter in the last word, wrapping as the standard says). */
static void ctr_xor(const crypto_aes_gcm_ctx *c, const uint8_t j0[16], uint8_t *out,
                    const uint8_t *in, size_t len)
{
    uint8_t ctr[32], ks[32];
    uint32_t n = sym_load_be32(j0 + 12);
    memcpy(ctr, j0, 12);
    memcpy(ctr + 16, j0, 12);
    while (len != 0) {
        sym_store_be32(ctr + 12, n + 1);
        sym_store_be32(ctr + 28, n + 2);
        n += 2;
        crypto_aes_encrypt2(&c->aes, ks, ctr);
        size_t take = len < 32u ? len : 32u;
        if (take == 32u) {
            for (unsigned i = 0; i < 32; i += 8) {
                sym_store_le32(out + i, sym_load_le32(in + i) ^ sym_load_le32(ks + i));
                sym_store_le32(out + i + 4, sym_load_le32(in + i + 4) ^ sym_load_le32(ks + i + 4));
            }
        } else {
            for (size_t i = 0; i < take; i++) {
                out[i] = in[i] ^ ks[i];
            }
        }
        out += take;
        in += take;
        len -= take;
    }
    crypto_wipe(ks, sizeof ks);
}

/* tag = E(J0) XOR GHASH(aad | pad | ct | pad | bitlen(aad) | bitlen(ct)), full 16 bytes. */
static void compute_tag(const crypto_aes_gcm_ctx *c, uint8_t tag[16], const uint8_t j0[16],
                        const void *aad, size_t aad_len, const uint8_t *ct, size_t len)
{
    crypto_ghash_ctx g;
    uint8_t lens[16], ej0[16];
    uint64_t abits = (uint64_t)aad_len << 3, cbits = (uint64_t)len << 3;
    sym_store_be32(lens, (uint32_t)(abits >> 32));
    sym_store_be32(lens + 4, (uint32_t)abits);
    sym_store_be32(lens + 8, (uint32_t)(cbits >> 32));
    sym_store_be32(lens + 12, (uint32_t)cbits);
    crypto_ghash_init(&g);
    crypto_ghash_update(&g, &c->ghash, aad, aad_len);
    crypto_ghash_pad(&g, &c->ghash);
    crypto_ghash_update(&g, &c->ghash, ct, len);
    crypto_ghash_pad(&g, &c->ghash);
    crypto_ghash_update(&g, &c->ghash, lens, sizeof lens);
    crypto_ghash_final(&g, &c->ghash, tag);
    crypto_aes_encrypt(&c->aes, ej0, j0);
    for (unsigned i = 0; i < 16; i++) {
        tag[i] ^= ej0[i];
    }
    crypto_wipe(ej0, sizeof ej0);
}

static int check_lengths(size_t iv_len, size_t tag_len)
{
    return (iv_len == 0 || tag_len < 4u || tag_len > 16u) ? APG_EINVAL : APG_OK;
}

int crypto_aes_gcm_seal(const crypto_aes_gcm_ctx *c, uint8_t *ct, uint8_t *tag,
                        size_t tag_len, const uint8_t *iv, size_t iv_len, const void *aad,
                        size_t aad_len, const uint8_t *pt, size_t len)
{
    if (check_lengths(iv_len, tag_len) != APG_OK) {
        return APG_EINVAL;
    }
    uint8_t j0[16], full[16];
    make_j0(c, j0, iv, iv_len);
    ctr_xor(c, j0, ct, pt, len);
    compute_tag(c, full, j0, aad, aad_len, ct, len);
    memcpy(tag, full, tag_len);
    crypto_wipe(full, sizeof full);
    return APG_OK;
}

int crypto_aes_gcm_open(const crypto_aes_gcm_ctx *c, uint8_t *pt, const uint8_t *iv,
                        size_t iv_len, const void *aad, size_t aad_len, const uint8_t *ct,
                        size_t len, const uint8_t *tag, size_t tag_len)
{
    if (check_lengths(iv_len, tag_len) != APG_OK) {
        return APG_EINVAL;
    }
    uint8_t j0[16], want[16];
    make_j0(c, j0, iv, iv_len);
    compute_tag(c, want, j0, aad, aad_len, ct, len);
    int ok = crypto_ct_equal(want, tag, tag_len);
    crypto_wipe(want, sizeof want);
    CRYPTO_DECLASSIFY(&ok, sizeof ok);
    if (!ok) {
        if (len != 0) {
            memset(pt, 0, len);
        }
        return APG_EAUTH;
    }
    ctr_xor(c, j0, pt, ct, len);
    return APG_OK;
}

void crypto_aes_gcm_seal_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len)
{
    (void)crypto_aes_gcm_seal(c, out, out + len, 16, nonce, 12, aad, aad_len, pt, len);
}

int crypto_aes_gcm_open_appended(const crypto_aes_gcm_ctx *c, uint8_t *out,
                                 const uint8_t nonce[12], const void *aad, size_t aad_len,
                                 const uint8_t *in, size_t in_len)
{
    if (in_len < 16u) {
        return APG_EINVAL;
    }
    size_t len = in_len - 16u;
    if (len > (size_t)(~0u >> 1)) { /* INT_MAX: the length must fit the return value */
        return APG_EMSGSIZE;
    }
    int rc = crypto_aes_gcm_open(c, out, nonce, 12, aad, aad_len, in, len, in + len, 16);
    return rc < 0 ? rc : (int)len;
}
