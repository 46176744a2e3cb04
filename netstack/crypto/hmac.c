/*
 * hmac.c - HMAC-SHA256 and HMAC-SHA384. The padded key block is built once in
 * a stack buffer, XORed with ipad, then turned into opad by XORing 0x36^0x5c,
 * and wiped before returning.
 */
#include "hmac.h"

#include <string.h>

#include "ct.h"

static void xor_block(uint8_t *block, size_t block_len, uint8_t v)
{
    for (size_t i = 0; i < block_len; i++) {
        block[i] ^= v;
    }
}

#define IPAD 0x36u
#define OPAD 0x5cu

void crypto_hmac_sha256_init(crypto_hmac_sha256_ctx *c, const void *key, size_t key_len)
{
    uint8_t block[CRYPTO_SHA256_BLOCK_SIZE];
    memset(block, 0, sizeof block);
    if (key_len > sizeof block) {
        crypto_sha256(key, key_len, block);
    } else if (key_len != 0) {
        memcpy(block, key, key_len);
    }
    xor_block(block, sizeof block, IPAD);
    crypto_sha256_init(&c->inner);
    crypto_sha256_update(&c->inner, block, sizeof block);
    xor_block(block, sizeof block, IPAD ^ OPAD);
    crypto_sha256_init(&c->outer);
    crypto_sha256_update(&c->outer, block, sizeof block);
    crypto_wipe(block, sizeof block);
}

void crypto_hmac_sha256_update(crypto_hmac_sha256_ctx *c, const void *data, size_t len)
{
    crypto_sha256_update(&c->inner, data, len);
}

void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c, uint8_t out[32])
{
    uint8_t ih[32];
    crypto_sha256_final(&c->inner, ih);
    crypto_sha256_update(&c->outer, ih, sizeof ih);
    crypto_sha256_final(&c->outer, out);
    crypto_wipe(ih, sizeof ih);
}

void crypto_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[32])
{
    crypto_hmac_sha256_ctx c;
    crypto_hmac_sha256_init(&c, key, key_len);
    crypto_hmac_sha256_update(&c, msg, msg_len);
    crypto_hmac_sha256_final(&c, out);
}

void crypto_hmac_sha384_init(crypto_hmac_sha384_ctx *c, const void *key, size_t key_len)
{
    uint8_t block[CRYPTO_SHA512_BLOCK_SIZE];
    memset(block, 0, sizeof block);
    if (key_len > sizeof block) {
        crypto_sha384(key, key_len, block);
    } else if (key_len != 0) {
        memcpy(block, key, key_len);
    }
    xor_block(block, sizeof block, IPAD);
    crypto_sha384_init(&c->inner);
    crypto_sha512_update(&c->inner, block, sizeof block);
    xor_block(block, sizeof block, IPAD ^ OPAD);
    crypto_sha384_init(&c->outer);
    crypto_sha512_update(&c->outer, block, sizeof block);
    crypto_wipe(block, sizeof block);
}

void crypto_hmac_sha384_update(crypto_hmac_sha384_ctx *c, const void *data, size_t len)
{
    crypto_sha512_update(&c->inner, data, len);
}

void crypto_hmac_sha384_final(crypto_hmac_sha384_ctx *c, uint8_t out[48])
{
    uint8_t ih[48];
    crypto_sha384_final(&c->inner, ih);
    crypto_sha512_update(&c->outer, ih, sizeof ih);
    crypto_sha384_final(&c->outer, out);
    crypto_wipe(ih, sizeof ih);
}

void crypto_hmac_sha384(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        uint8_t out[48])
{
    crypto_hmac_sha384_ctx c;
    crypto_hmac_sha384_init(&c, key, key_len);
    crypto_hmac_sha384_update(&c, msg, msg_len);
    crypto_hmac_sha384_final(&c, out);
}
