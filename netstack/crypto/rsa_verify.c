#include "rsa_verify.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "rsa.h"
#include "rsa_hash.h"

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
    size_t hlen = crypto_rsa_hash_len(hash);
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

int crypto_rsa_verify_pss(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                          enum crypto_rsa_hash hash, const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len, int salt_len)
{
    uint8_t buf[CRYPTO_RSA_MAX_BYTES];
    uint8_t hprime[CRYPTO_RSA_HASH_MAX_SIZE];
    size_t bits;
    size_t hlen = crypto_rsa_hash_len(hash);
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
    crypto_rsa_mgf1_xor(db, db_len, h, hlen, hash);
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
    crypto_rsa_pss_hash(hprime, hash, digest, hlen, db + i + 1, slen);
    return crypto_ct_equal(hprime, h, hlen) ? APG_OK : APG_EAUTH;
}
