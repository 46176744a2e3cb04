#include "apogee/err.h"
#include "ecdsa_p256.h"
#include "p256.h"
#include "p256_verify.h"

int crypto_ecdsa_p256_verify(const uint8_t *hash, size_t hash_len, const uint8_t pub[65],
                             const uint8_t sig[CRYPTO_ECDSA_P256_SIG_LEN])
{
    p256_fe qx, qy;
    p256_sc r, s, e, w, u1, u2;
    if (p256_point_decode(qx, qy, pub) != APG_OK) {
        return APG_EBADMSG;
    }
    /* from_bytes reports whether the value was < n; 0 is excluded separately. */
    if (!p256_sc_from_bytes(r, sig) || !p256_sc_from_bytes(s, sig + 32) || p256_sc_is_zero(r) ||
        p256_sc_is_zero(s)) {
        return APG_EAUTH;
    }
    p256_sc_from_hash(e, hash, hash_len);
    p256_sc_inv_vartime(w, s); /* s is public */
    p256_sc_mul(u1, e, w);
    p256_sc_mul(u2, r, w);
    return p256_verify_combination(u1, u2, qx, qy, r) ? APG_OK : APG_EAUTH;
}
