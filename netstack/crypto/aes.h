/*
 * aes.h - AES-128/192/256 block encryption (FIPS 197), constant time.
 *
 * Bitsliced: two blocks are processed together as eight 32-bit words, the
 * S-box is a Boolean circuit, so no table is ever indexed by key or data and
 * no branch depends on them. Only the encrypt direction exists: the modes we
 * use (GCM, CTR) never decrypt a block.
 *
 * The context (484 bytes; 356 with APOGEE_CRYPTO_AES_MAX_KEY_BITS 128) holds
 * the expanded key in bitsliced form; it is caller-owned and read-only after
 * init, so one keyed context can serve many messages. Wipe it with crypto_aes_wipe() when the key is retired.
 * Encrypting two blocks costs the same as one: prefer crypto_aes_encrypt2.
 */
#ifndef CRYPTO_AES_H
#define CRYPTO_AES_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_AES_BLOCK_SIZE 16u

/* The longest key this build accepts: 128, 192 or 256. An app that only uses
 * AES-128 (TLS_AES_128_GCM_SHA256) sets 128 and every context shrinks from 484
 * to 356 bytes. */
#ifndef APOGEE_CRYPTO_AES_MAX_KEY_BITS
#define APOGEE_CRYPTO_AES_MAX_KEY_BITS 256
#endif
#if APOGEE_CRYPTO_AES_MAX_KEY_BITS != 128 && APOGEE_CRYPTO_AES_MAX_KEY_BITS != 192 &&         \
    APOGEE_CRYPTO_AES_MAX_KEY_BITS != 256
#error "APOGEE_CRYPTO_AES_MAX_KEY_BITS must be 128, 192 or 256"
#endif
#define CRYPTO_AES_MAX_ROUNDS (APOGEE_CRYPTO_AES_MAX_KEY_BITS / 32 + 6)

typedef struct {
    uint32_t rk[(CRYPTO_AES_MAX_ROUNDS + 1) * 8]; /* round keys, 8 bitsliced words each */
    uint32_t rounds;                              /* 10, 12 or 14 */
} crypto_aes_ctx;

/* key_len 16, 24 or 32 bytes. Returns APG_OK, APG_EINVAL for another length,
 * or APG_ENOTSUP for a key longer than APOGEE_CRYPTO_AES_MAX_KEY_BITS
 * (c untouched in both cases). */
int crypto_aes_init(crypto_aes_ctx *c, const uint8_t *key, size_t key_len);

/* out[0..32) = AES(in[0..16)) | AES(in[16..32)). out may equal in. */
void crypto_aes_encrypt2(const crypto_aes_ctx *c, uint8_t out[32], const uint8_t in[32]);

/* One block. out may equal in. */
void crypto_aes_encrypt(const crypto_aes_ctx *c, uint8_t out[16], const uint8_t in[16]);

void crypto_aes_wipe(crypto_aes_ctx *c);

#endif /* CRYPTO_AES_H */
