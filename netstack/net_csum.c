#include "net_csum.h"

#include <string.h>

static uint32_t fold17(uint32_t s)
{
    s = (s & 0xFFFFu) + (s >> 16);
    return (s & 0xFFFFu) + (s >> 16);
}

/* Ones' complement sums do not care about byte order as long as it is consistent
 * (RFC 1071 2(B)): the data is summed as native 32-bit words into a 64-bit
 * accumulator, eight bytes at a time, and the folded result is swapped to network
 * order once at the end. */
uint32_t net_csum_add(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t acc = 0;
    while (len >= 8) {
        uint32_t w[2];
        memcpy(w, p, 8); /* unaligned-safe; one or two loads where the core allows */
        acc += (uint64_t)w[0] + w[1];
        p += 8;
        len -= 8;
    }
    while (len >= 2) {
        uint16_t h;
        memcpy(&h, p, 2);
        acc += h;
        p += 2;
        len -= 2;
    }
    if (len) {
        uint8_t last[2] = {p[0], 0};
        uint16_t h;
        memcpy(&h, last, 2);
        acc += h;
    }
    acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
    acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
    uint32_t s = fold17((uint32_t)acc);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s = ((s & 0xFFu) << 8) | (s >> 8);
#endif
    return fold17(fold17(sum) + s);
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
