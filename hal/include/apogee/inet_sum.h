/*
 * apogee/inet_sum.h - the Internet checksum's running sum (RFC 1071), inline.
 *
 * Shared by the IP layer (netstack/net_csum.c) and the TCP core, which is built and
 * tested on its own: both sum every byte they receive, so this is the hottest loop
 * of the stack. It lives here, beside err.h, because it is the one piece of code
 * both need and neither owns.
 */
#ifndef APOGEE_INET_SUM_H
#define APOGEE_INET_SUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t apg_inet_fold17(uint32_t s)
{
    s = (s & 0xFFFFu) + (s >> 16);
    return (s & 0xFFFFu) + (s >> 16);
}

/* The IPv4 pseudo-header's sum (RFC 768, RFC 9293 3.1) for a proto segment of
 * len bytes between src and dst (host order), folded below 2^17 and not
 * complemented: the start of a UDP or TCP checksum, and what a NIC completing
 * one expects in the field. */
static inline uint32_t apg_inet_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint32_t s = (src >> 16) + (src & 0xFFFFu) + (dst >> 16) + (dst & 0xFFFFu);
    return apg_inet_fold17(s + proto + len);
}

/* Adds len bytes at data, taken as big-endian 16-bit words (an odd last byte is the
 * high byte of a zero-padded word), to a running sum below 2^17; returns the new
 * running sum, also below 2^17.
 *
 * Ones' complement sums do not care about byte order as long as it is consistent
 * (RFC 1071 2(B)): the data is summed as native 32-bit words into 64-bit
 * accumulators, sixteen bytes a step with two independent chains, and the folded
 * result is swapped to network order once at the end. */
static inline uint32_t apg_inet_sum(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t a = 0, b = 0;
    while (len >= 16) {
        uint32_t w[4];
        memcpy(w, p, 16); /* unaligned-safe; plain loads where the core allows */
        a += (uint64_t)w[0] + w[1];
        b += (uint64_t)w[2] + w[3];
        p += 16;
        len -= 16;
    }
    a += b;
    while (len >= 2) {
        uint16_t h;
        memcpy(&h, p, 2);
        a += h;
        p += 2;
        len -= 2;
    }
    if (len) {
        uint8_t last[2] = {p[0], 0};
        uint16_t h;
        memcpy(&h, last, 2);
        a += h;
    }
    a = (a & 0xFFFFFFFFu) + (a >> 32);
    a = (a & 0xFFFFFFFFu) + (a >> 32);
    uint32_t s = apg_inet_fold17((uint32_t)a);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s = ((s & 0xFFu) << 8) | (s >> 8);
#endif
    return apg_inet_fold17(apg_inet_fold17(sum) + s);
}

#endif /* APOGEE_INET_SUM_H */
