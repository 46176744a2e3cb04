#include "rsa_verify.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "rsa.h"
#include "sha256.h"
#include "sha512.h"

/* The three hashes behind one small interface, for MGF1 and PSS's H'. */
union hash_ctx {
    crypto_sha256_ctx s256;
    crypto_sha512_ctx s512;
};

static size_t hash_len(enum crypto_rsa_hash h)
{
    switch (h) {
    case CRYPTO_RSA_SHA256:
        return 32;
    case CRYPTO_RSA_SHA384:
        return 48;
    case CRYPTO_RSA_SHA512:
        return 64;
    }
    return 0;
}

static void hash_init(union hash_ctx *c, enum crypto_rsa_hash h)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_init(&c->s256);
    } else if (h == CRYPTO_RSA_SHA384) {
        crypto_sha384_init(&c->s512);
    } else {
        crypto_sha512_init(&c->s512);
    }
}

static void hash_update(union hash_ctx *c, enum crypto_rsa_hash h, const void *d, size_t n)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_update(&c->s256, d, n);
    } else {
        crypto_sha512_update(&c->s512, d, n);
    }
}

static void hash_final(union hash_ctx *c, enum crypto_rsa_hash h, uint8_t *out)
{
    if (h == CRYPTO_RSA_SHA256) {
        crypto_sha256_final(&c->s256, out);
    } else if (h == CRYPTO_RSA_SHA384) {
        crypto_sha384_final(&c->s512, out);
    } else {
        crypto_sha512_final(&c->s512, out);
    }
}

/* DigestInfo prefixes (RFC 8017 9.2 note 1): SEQUENCE { AlgorithmIdentifier
 * { OID, NULL }, OCTET STRING digest } up to the digest bytes. */
static const uint8_t di_sha256[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                      0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t di_sha384[19] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                      0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t di_sha512[19] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                      0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};

int crypto_rsa_verify_pkcs1(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                            enum crypto_rsa_hash hash, const uint8_t *digest, size_t digest_len,
                            const uint8_t *sig, size_t sig_len)
{
    uint8_t em[CRYPTO_RSA_MAX_BYTES], want[CRYPTO_RSA_MAX_BYTES];
    size_t bits;
    size_t hlen = hash_len(hash);
    if (hlen == 0) {
        return APG_ENOTSUP;
    }
    if (digest_len != hlen) {
        return APG_EINVAL;
    }
    int rc = crypto_rsa_public(em, sizeof(em), &bits, n, n_len, e, e_len, sig, sig_len);
    if (rc != APG_OK) {
        return rc;
    }
    size_t k = (bits + 7) / 8;
    size_t tlen = 19 + hlen;
    /* k >= 256 here, far above the 11 + tlen the encoding needs. */
    want[0] = 0x00;
    want[1] = 0x01;
    memset(want + 2, 0xFF, k - 3 - tlen);
    want[k - tlen - 1] = 0x00;
    memcpy(want + k - tlen,
           hash == CRYPTO_RSA_SHA256 ? di_sha256 : hash == CRYPTO_RSA_SHA384 ? di_sha384 : di_sha512,
           19);
    memcpy(want + k - hlen, digest, hlen);
    return crypto_ct_equal(em, want, k) ? APG_OK : APG_EAUTH;
}

/* db ^= MGF1(seed, len) */
static void mgf1_xor(uint8_t *db, size_t len, const uint8_t *seed, size_t hlen,
                     enum crypto_rsa_hash hash)
{
    union hash_ctx c;
    uint8_t block[64];
    for (uint32_t counter = 0; len > 0; counter++) {
        uint8_t cb[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                         (uint8_t)(counter >> 8), (uint8_t)counter};
        hash_init(&c, hash);
        hash_update(&c, hash, seed, hlen);
        hash_update(&c, hash, cb, 4);
        hash_final(&c, hash, block);
        size_t take = len < hlen ? len : hlen;
        for (size_t i = 0; i < take; i++) {
            db[i] ^= block[i];
        }
        db += take;
        len -= take;
    }
}

int crypto_rsa_verify_pss(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                          enum crypto_rsa_hash hash, const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len, int salt_len)
{
    uint8_t buf[CRYPTO_RSA_MAX_BYTES];
    uint8_t hprime[64];
    size_t bits;
    size_t hlen = hash_len(hash);
    if (hlen == 0) {
        return APG_ENOTSUP;
    }
    if (digest_len != hlen || salt_len < CRYPTO_RSA_PSS_SALT_HASH_LEN) {
        return APG_EINVAL;
    }
    if (salt_len == CRYPTO_RSA_PSS_SALT_HASH_LEN) {
        salt_len = (int)hlen;
    }
    int rc = crypto_rsa_public(buf, sizeof(buf), &bits, n, n_len, e, e_len, sig, sig_len);
    if (rc != APG_OK) {
        return rc;
    }
    /* EM is emLen = ceil((modBits - 1) / 8) bytes: one byte shorter than the
     * modulus when modBits - 1 is a multiple of 8, and that extra top byte of the
     * representative must then be zero (I2OSP would fail otherwise). */
    size_t em_bits = bits - 1;
    size_t em_len = (em_bits + 7) / 8;
    size_t k = (bits + 7) / 8;
    const uint8_t *em = buf;
    if (em_len < k) {
        if (buf[0] != 0) {
            return APG_EAUTH;
        }
        em = buf + 1;
    }
    if (em_len < hlen + 2 || (salt_len >= 0 && em_len < hlen + (size_t)salt_len + 2)) {
        return APG_EAUTH;
    }
    if (em[em_len - 1] != 0xBC) {
        return APG_EAUTH;
    }
    size_t db_len = em_len - hlen - 1;
    uint8_t *db = (uint8_t *)em; /* unmasked in place */
    const uint8_t *h = em + db_len;
    uint8_t top_mask = (uint8_t)(0xFFu >> (8 * em_len - em_bits));
    if (db[0] & (uint8_t)~top_mask) {
        return APG_EAUTH;
    }
    mgf1_xor(db, db_len, h, hlen, hash);
    db[0] &= top_mask;
    /* DB = PS (zeros) || 0x01 || salt */
    size_t i = 0;
    while (i < db_len && db[i] == 0) {
        i++;
    }
    if (i == db_len || db[i] != 0x01) {
        return APG_EAUTH;
    }
    size_t slen = db_len - i - 1;
    if (salt_len >= 0 && slen != (size_t)salt_len) {
        return APG_EAUTH;
    }
    static const uint8_t zeros[8] = {0};
    union hash_ctx c;
    hash_init(&c, hash);
    hash_update(&c, hash, zeros, 8);
    hash_update(&c, hash, digest, hlen);
    hash_update(&c, hash, db + i + 1, slen);
    hash_final(&c, hash, hprime);
    return crypto_ct_equal(hprime, h, hlen) ? APG_OK : APG_EAUTH;
}
