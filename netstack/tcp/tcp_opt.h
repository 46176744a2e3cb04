/*
 * tcp_opt.h - TCP header option parsing (RFC 9293 3.1, 7323, 2018) and the
 * segment checksum.
 */
#ifndef APOGEE_TCP_OPT_H
#define APOGEE_TCP_OPT_H

#include <stddef.h>
#include <stdint.h>

#define TCP_OPT_MSS 0x01
#define TCP_OPT_WS 0x02
#define TCP_OPT_SACK_OK 0x04
#define TCP_OPT_TS 0x08
#define TCP_OPT_SACK 0x10

struct tcp_opts {
    uint8_t present;   /* TCP_OPT_* bits */
    uint8_t ws;        /* window shift, clamped to 14 (RFC 7323 2.3) */
    uint8_t nsack;     /* SACK blocks in sack[] (0..4) */
    uint16_t mss;
    uint32_t tsval, tsecr;
    uint32_t sack[4][2]; /* left, right */
};

/* Parse n option bytes at p into o. Options of a known kind with a wrong length
   are ignored (as Linux does); an option whose length byte is missing, < 2 or
   runs past the end makes the whole list malformed: returns APG_EBADMSG (the
   caller drops the segment). Returns 0 otherwise. Reads only p[0..n). */
int tcp_opts_parse(const uint8_t *p, size_t n, struct tcp_opts *o);

/* Internet checksum of a TCP segment with the IPv4 pseudo-header; returns the
   folded complement (0 when verifying a segment whose checksum is right). */
uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);

/* The IPv4 pseudo-header sum of a len-byte TCP segment, folded, not complemented:
   what the checksum field holds for a NIC that completes the checksum. */
uint16_t tcp_checksum_partial(uint32_t src, uint32_t dst, size_t len);

#endif /* APOGEE_TCP_OPT_H */
