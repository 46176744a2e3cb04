#include "ecdh_p256.h"

#include <string.h>

#include "apogee/err.h"
#include "crypto_declassify.h"
#include "ct.h"
#include "p256.h"

/* APG_OK when mask is all ones, APG_EINVAL when 0, computed without a branch. */
static int status_from_mask(uint32_t ok)
{
    int ret = (int)(~ok & (uint32_t)APG_EINVAL);
    /* Whether the key was usable is public; the branch callers take on it is
     * not a leak of the key itself. */
    CRYPTO_DECLASSIFY(&ret, sizeof(ret));
    return ret;
}

int crypto_p256_public_key(uint8_t pub[CRYPTO_P256_PUBLIC_LEN],
                           const uint8_t priv[CRYPTO_P256_PRIVATE_LEN])
{
    p256_sc d;
    p256_point p;
    p256_fe x, y;
    uint32_t ok = 0u - p256_sc_from_bytes(d, priv);
    ok &= ~(0u - p256_sc_is_zero(d));
    p256_mul_base_ct(&p, d);
    ok &= p256_to_affine(x, y, &p);
    p256_point_encode(pub, x, y);
    for (int i = 0; i < CRYPTO_P256_PUBLIC_LEN; i++) {
        pub[i] &= (uint8_t)ok;
    }
    crypto_wipe(d, sizeof(d));
    crypto_wipe(&p, sizeof(p));
    return status_from_mask(ok);
}

int crypto_p256_ecdh(uint8_t shared[CRYPTO_P256_SHARED_LEN],
                     const uint8_t priv[CRYPTO_P256_PRIVATE_LEN],
                     const uint8_t peer[CRYPTO_P256_PUBLIC_LEN])
{
    p256_sc d;
    p256_point p;
    p256_fe qx, qy, x, y;
    memset(shared, 0, CRYPTO_P256_SHARED_LEN);
    if (p256_point_decode(qx, qy, peer) != APG_OK) {
        return APG_EBADMSG;
    }
    uint32_t ok = 0u - p256_sc_from_bytes(d, priv);
    ok &= ~(0u - p256_sc_is_zero(d));
    p256_mul_ct(&p, d, qx, qy);
    /* Infinity is impossible for 1 <= d < n on a prime-order curve; checked
     * anyway (masked) so that a fault cannot leak a zero secret as valid. */
    ok &= p256_to_affine(x, y, &p);
    p256_fe_to_bytes(shared, x);
    for (int i = 0; i < CRYPTO_P256_SHARED_LEN; i++) {
        shared[i] &= (uint8_t)ok;
    }
    crypto_wipe(d, sizeof(d));
    crypto_wipe(&p, sizeof(p));
    crypto_wipe(x, sizeof(x));
    crypto_wipe(y, sizeof(y));
    return status_from_mask(ok);
}
