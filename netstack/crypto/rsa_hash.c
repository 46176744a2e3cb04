/*
 * rsa_hash.c - one context for the three hashes of RSA padding (rsa_hash.h):
 * the dispatch on the hash id that MGF1 and PSS's H go through, in one copy
 * for rsa_sign.c and rsa_verify.c. The id is public (the signature scheme),
 * so branching on it leaks nothing.
 */
#include "rsa_hash.h"

void crypto_rsa_hash_init(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash)
{
    if (hash == CRYPTO_RSA_SHA256) {
        crypto_sha256_init(&c->s256);
    } else if (hash == CRYPTO_RSA_SHA384) {
        crypto_sha384_init(&c->s512);
    } else {
        crypto_sha512_init(&c->s512);
    }
}

void crypto_rsa_hash_update(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash,
                            const void *data, size_t len)
{
    if (hash == CRYPTO_RSA_SHA256) {
        crypto_sha256_update(&c->s256, data, len);
    } else {
        /* SHA-384 absorbs with SHA-512's update (sha512.h). */
        crypto_sha512_update(&c->s512, data, len);
    }
}

void crypto_rsa_hash_final(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash,
                           uint8_t *out)
{
    if (hash == CRYPTO_RSA_SHA256) {
        crypto_sha256_final(&c->s256, out);
    } else if (hash == CRYPTO_RSA_SHA384) {
        crypto_sha384_final(&c->s512, out);
    } else {
        crypto_sha512_final(&c->s512, out);
    }
}
