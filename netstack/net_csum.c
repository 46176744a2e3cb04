#include "net_csum.h"

static uint32_t fold17(uint32_t s)
{
    s = (s & 0xFFFFu) + (s >> 16);
    return (s & 0xFFFFu) + (s >> 16);
}

uint32_t net_csum_add(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    sum = fold17(sum);
    while (len >= 2) {
        /* Fold every 32 Ki words so the 32-bit accumulator cannot overflow. */
        size_t n = len / 2 > 32768u ? 32768u : len / 2;
        for (size_t i = 0; i < n; i++) {
            sum += (uint32_t)((p[0] << 8) | p[1]);
            p += 2;
        }
        len -= n * 2;
        sum = fold17(sum);
    }
    if (len) {
        sum += (uint32_t)p[0] << 8;
    }
    return fold17(sum);
}

uint16_t net_csum_fold(uint32_t sum)
{
    return (uint16_t)~fold17(sum);
}

uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint32_t s = (src >> 16) + (src & 0xFFFFu) + (dst >> 16) + (dst & 0xFFFFu);
    return fold17(s + proto + len);
}
