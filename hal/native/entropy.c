/*
 * hal_entropy on the native board: the kernel's CSPRNG through getrandom(2),
 * which blocks only until the kernel pool is initialised at boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "apogee/entropy.h"
#include "apogee/err.h"

int hal_entropy(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return APG_EINVAL;
    }
    uint8_t *p = buf;
    while (len > 0) {
        /* Reads of up to 256 bytes are never short; larger ones may be. */
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno == ENOSYS ? APG_ENOTSUP : APG_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return APG_OK;
}
