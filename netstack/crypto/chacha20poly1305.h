/*
 * chacha20poly1305.h - the ChaCha20-Poly1305 AEAD (RFC 8439 section 2.8),
 * as TLS_CHACHA20_POLY1305_SHA256 uses it.
 *
 * Key 32 bytes, nonce 12 bytes, tag 16 bytes. A (key, nonce) pair must never
 * seal two different messages. Lengths: up to 2^32 - 2 blocks (about 256 GiB)
 * per message; no check is made, TLS records are far below it.
 *
 * seal: ct = ChaCha20(pt), tag = Poly1305(aad, ct). ct and pt may be the same
 *   buffer (in place) but must not partially overlap. aad/pt may be NULL when
 *   their length is 0.
 * open: the tag is checked (in constant time) BEFORE anything is decrypted, so
 *   on failure no plaintext is ever written: pt is zero-filled (all len bytes)
 *   and APG_EAUTH is returned. On success pt holds the plaintext and APG_OK.
 *   In place works as for seal (on failure the ciphertext is then zeroed).
 * The *_appended forms carry the tag after the ciphertext, as TLS records do.
 */
#ifndef CRYPTO_CHACHA20POLY1305_H
#define CRYPTO_CHACHA20POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_CHACHA20POLY1305_KEY_SIZE 32u
#define CRYPTO_CHACHA20POLY1305_NONCE_SIZE 12u
#define CRYPTO_CHACHA20POLY1305_TAG_SIZE 16u

void crypto_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[16], const uint8_t key[32],
                                  const uint8_t nonce[12], const void *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len);

/* Returns APG_OK, or APG_EAUTH (pt zeroed). */
int crypto_chacha20poly1305_open(uint8_t *pt, const uint8_t key[32], const uint8_t nonce[12],
                                 const void *aad, size_t aad_len, const uint8_t *ct,
                                 size_t len, const uint8_t tag[16]);

/* out receives len + 16 bytes: ciphertext then tag. out may equal pt. */
void crypto_chacha20poly1305_seal_appended(uint8_t *out, const uint8_t key[32],
                                           const uint8_t nonce[12], const void *aad,
                                           size_t aad_len, const uint8_t *pt, size_t len);

/* in holds in_len bytes: ciphertext then the 16-byte tag. out receives
 * in_len - 16 bytes of plaintext (out may equal in). Returns that length, or
 * APG_EINVAL if in_len < 16, or APG_EAUTH (out zeroed).
 * A plaintext longer than INT_MAX bytes cannot be reported: APG_EMSGSIZE, nothing
 * written (use the detached form). */
int crypto_chacha20poly1305_open_appended(uint8_t *out, const uint8_t key[32],
                                          const uint8_t nonce[12], const void *aad,
                                          size_t aad_len, const uint8_t *in, size_t in_len);

#endif /* CRYPTO_CHACHA20POLY1305_H */
