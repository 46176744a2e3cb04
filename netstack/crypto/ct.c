#include "ct.h"

int crypto_ct_equal(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    uint32_t diff = 0;
    for (size_t i = 0; i < n; i++) {
        diff |= (uint32_t)(x[i] ^ y[i]);
    }
    /* The volatile copy stops the compiler from turning the loop into a
     * data-dependent early exit. */
    volatile uint32_t sink = diff;
    return (int)(1u & (((uint32_t)sink - 1u) >> 8));
}

void crypto_wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    for (size_t i = 0; i < n; i++) {
        v[i] = 0;
    }
}
