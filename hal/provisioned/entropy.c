/*
 * hal_entropy on a board without an entropy source: the seed the SDK generated
 * into this image at build time (build/<board>/<app>/gen/entropy_seed.c, from
 * build/<board>/seed.bin).
 *
 * The seed is handed out once per start, in order, and never again: a second
 * request would only repeat bytes already given, which is not entropy. So a
 * DRBG can be instantiated from it but not reseeded. Every start of the image
 * gives the same seed: see docs/entropy.md for what that means and costs.
 */
#include <stdint.h>
#include <string.h>

#include "apogee/entropy.h"
#include "apogee/err.h"

extern const uint8_t hal_entropy_seed[];
extern const uint32_t hal_entropy_seed_len;

static uint32_t seed_used; /* bytes already handed out since start */

int hal_entropy(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return APG_EINVAL;
    }
    if (len > hal_entropy_seed_len - seed_used) {
        return APG_ENOTSUP;
    }
    memcpy(buf, hal_entropy_seed + seed_used, len);
    seed_used += (uint32_t)len;
    return APG_OK;
}
