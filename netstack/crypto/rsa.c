#include "rsa.h"

#include "apogee/err.h"

int crypto_rsa_public(uint8_t *out, size_t out_cap, size_t *mod_bits, const uint8_t *n,
                      size_t n_len, const uint8_t *e, size_t e_len, const uint8_t *sig,
                      size_t sig_len)
{
    struct bn_mont mont;
    uint32_t s[BN_MAX_LIMBS], m[BN_MAX_LIMBS];
    uint32_t *el = m; /* e as limbs, only for the e < n check before m is used */

    while (n_len > 0 && n[0] == 0) {
        n++;
        n_len--;
    }
    while (e_len > 0 && e[0] == 0) {
        e++;
        e_len--;
    }
    if (n_len > CRYPTO_RSA_MAX_BYTES || n_len * 8 < CRYPTO_RSA_MIN_BITS) {
        return APG_ENOTSUP;
    }
    size_t limbs = (n_len + 3) / 4;
    if (bn_mont_init(&mont, n, n_len) != 0) {
        return APG_EINVAL; /* even */
    }
    size_t bits = bn_bitlen_public(mont.m, limbs);
    if (bits < CRYPTO_RSA_MIN_BITS) {
        return APG_ENOTSUP;
    }
    if (e_len == 0 || e_len > n_len || !(e[e_len - 1] & 1u) || (e_len == 1 && e[0] == 1) ||
        bn_from_bytes(el, limbs, e, e_len) != 0 || !bn_lt(el, mont.m, limbs)) {
        return APG_EINVAL;
    }
    if (sig_len != n_len || bn_from_bytes(s, limbs, sig, sig_len) != 0 ||
        !bn_lt(s, mont.m, limbs)) {
        return APG_EAUTH;
    }
    if (out_cap < n_len) {
        return APG_EMSGSIZE;
    }
    bn_mont_pow_public(m, s, e, e_len, &mont);
    bn_to_bytes(out, n_len, m, limbs);
    *mod_bits = bits;
    return APG_OK;
}
