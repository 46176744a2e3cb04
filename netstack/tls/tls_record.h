/*
 * tls_record.h - TLS 1.3 record protection (RFC 8446 section 5.2, 5.3).
 *
 * One tls_aead per direction holds the traffic key, the static IV and the
 * 64-bit record sequence number. Only the raw key (not an expanded AES
 * schedule) is kept: 52 bytes per direction instead of 600, at the price of an
 * AES key expansion per record. The per-record nonce is the IV XORed with the
 * sequence number, left-padded to 12 bytes (5.3).
 *
 * Records are protected in place. A record buffer is laid out as
 *     [5-byte header][TLSInnerPlaintext: content, type, zeros][16-byte tag]
 * The header written by seal is the 1.3 outer header: opaque_type 23,
 * legacy_record_version 0x0303, the ciphertext length; it is also the AEAD's
 * additional data.
 */
#ifndef TLS_RECORD_H
#define TLS_RECORD_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t key[32]; /* 16 bytes used by AES-128-GCM */
    uint8_t iv[12];
    uint64_t seq;
    uint16_t suite; /* 0: this direction is not protected yet */
} tls_aead;

/* Key length of a suite: 16 or 32. */
size_t tls_suite_key_len(uint16_t suite);
/* Hash of a suite: TLS_HASH_SHA256 or TLS_HASH_SHA384. */
uint8_t tls_suite_hash(uint16_t suite);

/* Install the traffic secret's key and IV ([sender]_write_key/iv, 7.3) and
 * reset the sequence number to 0. */
void tls_aead_install(tls_aead *a, uint16_t suite, const uint8_t *secret);
void tls_aead_wipe(tls_aead *a);

/* rec[5 .. 5 + inner_len) holds the inner plaintext (content || type || pad).
 * Writes the header, encrypts in place, appends the tag; returns the record's
 * whole length 5 + inner_len + 16. The caller guarantees the room and
 * inner_len <= 2^14 + 1 + padding. */
size_t tls_aead_seal(tls_aead *a, uint8_t *rec, size_t inner_len);

/* rec holds a header and ct_len bytes of ciphertext and tag (ct_len from the
 * header). Decrypts in place to rec[5 ..]. Returns the inner plaintext length
 * (ct_len - 16), APG_EAUTH (bad tag; plaintext zeroed; sequence unchanged) or
 * APG_EBADMSG (ct_len < 17: no room for a tag and a content type). */
int tls_aead_open(tls_aead *a, uint8_t *rec, size_t ct_len);

#endif /* TLS_RECORD_H */
