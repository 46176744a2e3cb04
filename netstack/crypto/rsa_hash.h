/*
 * rsa_hash.h - the hashing RSASSA-PSS does around the RSA operation, written
 * once for signing (rsa_sign.c) and verification (rsa_verify.c): the hash
 * named by enum crypto_rsa_hash (SHA-256, SHA-384 or SHA-512) behind one
 * context type, MGF1 over it (RFC 8017 B.2.1) and PSS's
 * H = Hash(0x00 x 8 || mHash || salt) (RFC 8017 9.1.1 steps 5-6, 9.1.2 steps
 * 12-13). rsa_verify.c's PKCS#1 v1.5 check uses crypto_rsa_hash_len only.
 *
 * Secrets: none pass through here. Verification hashes the decoded signature
 * (public); signing hashes and masks the encoded message, which anyone with
 * the public key recovers from the signature, salt included. The code branches
 * on the hash id and loops over lengths, both public, and the SHA functions
 * are constant time, so nothing here depends on data values either way.
 *
 * The hash dispatch is rsa_hash.c. MGF1 and H are inline, on purpose: each
 * side calls each of them from one place, and as functions of their own they
 * cost an image that links only verification or only signing a frame and
 * argument moves it did not pay when each file had its own copy (measured
 * with arm-none-eabi-gcc -Os, Cortex-M4: +64 bytes for verify-only, +50 for
 * sign-only). Inline, those images stay the size they were and an image with
 * both shares the dispatch.
 *
 * Every function but crypto_rsa_hash_len expects a hash id that
 * crypto_rsa_hash_len accepts (non-zero length): callers check the id first
 * and refuse an unknown one with APG_ENOTSUP. Stack: one SHA-512 context
 * (about 0.2 KiB) and, for MGF1, one digest.
 */
#ifndef CRYPTO_RSA_HASH_H
#define CRYPTO_RSA_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "rsa_verify.h" /* enum crypto_rsa_hash */
#include "sha256.h"
#include "sha512.h"

/* The longest digest of enum crypto_rsa_hash (SHA-512's), for buffers. */
#define CRYPTO_RSA_HASH_MAX_SIZE CRYPTO_SHA512_SIZE

/* A running hash of any enum crypto_rsa_hash; SHA-384 is SHA-512 with other
 * initial values and a shorter output, so it uses the SHA-512 member. The
 * caller owns it (on the stack) and passes the same id to every call. */
union crypto_rsa_hash_ctx {
    crypto_sha256_ctx s256;
    crypto_sha512_ctx s512;
};

/* The digest length of hash in bytes (32, 48 or 64), or 0 for an id that is
 * not one of enum crypto_rsa_hash. Inline: it is a comparison and a shift. */
static inline size_t crypto_rsa_hash_len(enum crypto_rsa_hash hash)
{
    switch (hash) {
    case CRYPTO_RSA_SHA256:
        return CRYPTO_SHA256_SIZE;
    case CRYPTO_RSA_SHA384:
        return CRYPTO_SHA384_SIZE;
    case CRYPTO_RSA_SHA512:
        return CRYPTO_SHA512_SIZE;
    }
    return 0;
}

/* Streaming: init, any number of updates (any lengths, 0 included), final,
 * which writes crypto_rsa_hash_len(hash) bytes to out and wipes c as
 * sha256.h / sha512.h do. */
void crypto_rsa_hash_init(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash);
void crypto_rsa_hash_update(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash,
                            const void *data, size_t len);
void crypto_rsa_hash_final(union crypto_rsa_hash_ctx *c, enum crypto_rsa_hash hash,
                           uint8_t *out);

/*
 * mask[0..len) ^= MGF1(seed, len) with MGF1 over hash (RFC 8017 B.2.1): the
 * concatenation of Hash(seed || counter), counter = 0, 1, ... as 4 big-endian
 * bytes, cut to len. The seed is hlen bytes with hlen = crypto_rsa_hash_len
 * (hash), as in PSS where the seed is H (the caller has hlen at hand already;
 * 0 would never end). len is at most a modulus, far below the 2^32 blocks
 * where MGF1 reports "mask too long". mask and seed must not overlap.
 *
 * always_inline: at -Os GCC keeps this out of line in rsa_sign.c (its stack
 * frame growth limit), which costs the sign-only image 22 bytes.
 */
__attribute__((always_inline)) static inline void
crypto_rsa_mgf1_xor(uint8_t *mask, size_t len, const uint8_t *seed, size_t hlen,
                    enum crypto_rsa_hash hash)
{
    union crypto_rsa_hash_ctx c;
    uint8_t block[CRYPTO_RSA_HASH_MAX_SIZE];
    for (uint32_t counter = 0; len > 0; counter++) {
        uint8_t cb[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                         (uint8_t)(counter >> 8), (uint8_t)counter};
        crypto_rsa_hash_init(&c, hash);
        crypto_rsa_hash_update(&c, hash, seed, hlen);
        crypto_rsa_hash_update(&c, hash, cb, 4);
        crypto_rsa_hash_final(&c, hash, block);
        size_t take = len < hlen ? len : hlen;
        for (size_t i = 0; i < take; i++) {
            mask[i] ^= block[i];
        }
        mask += take;
        len -= take;
    }
}

/* out = Hash(0x00 x 8 || digest || salt): EMSA-PSS's H from mHash (digest,
 * digest_len bytes: the hash's length in PSS) and the salt. salt may be NULL
 * when salt_len is 0. out receives crypto_rsa_hash_len(hash) bytes, written
 * after both inputs are read, so it may overlap them. */
static inline void crypto_rsa_pss_hash(uint8_t *out, enum crypto_rsa_hash hash,
                                       const uint8_t *digest, size_t digest_len,
                                       const uint8_t *salt, size_t salt_len)
{
    static const uint8_t zeros[8] = {0};
    union crypto_rsa_hash_ctx c;
    crypto_rsa_hash_init(&c, hash);
    crypto_rsa_hash_update(&c, hash, zeros, sizeof(zeros));
    crypto_rsa_hash_update(&c, hash, digest, digest_len);
    crypto_rsa_hash_update(&c, hash, salt, salt_len);
    crypto_rsa_hash_final(&c, hash, out);
}

#endif /* CRYPTO_RSA_HASH_H */
