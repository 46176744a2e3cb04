/*
 * udp.h - UDP (RFC 768) on a static table of sockets.
 *
 * Each socket is bound to one local port and keeps up to APOGEE_NET_UDP_RXQ
 * received datagrams (each in a pool buffer, with its source address and port)
 * until the application reads them; one more is dropped and counted, and so is
 * any datagram that would leave fewer than APOGEE_NET_UDP_RESERVE buffers free. Nothing
 * blocks: a read with nothing queued is APG_EAGAIN. Datagrams to a port nobody
 * holds get an ICMP port unreachable (rate-limited).
 * Applications use the net_udp_* calls in net_api.h; these are the internals.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4.h"

#ifndef APOGEE_NET_UDP_SOCKETS
#define APOGEE_NET_UDP_SOCKETS 4
#endif
#ifndef APOGEE_NET_UDP_RXQ
#define APOGEE_NET_UDP_RXQ 4
#endif
/* Buffers UDP queues may never take: however many datagrams sit unread, this many
 * stay free for receiving, ARP and TCP, so a slow reader cannot stall the stack. */
#ifndef APOGEE_NET_UDP_RESERVE
#define APOGEE_NET_UDP_RESERVE 4
#endif

#define UDP_HLEN 8
#define UDP_MAX_PAYLOAD (IP_MTU - IP_HLEN - UDP_HLEN)

struct net_stack;

struct udp_hdr {
    uint16_t sport, dport, len, csum;
};

struct udp_sock {
    uint16_t port;  /* 0: free */
    uint8_t head, count;
    struct net_pbuf *q[APOGEE_NET_UDP_RXQ];
};

struct udp_table {
    struct udp_sock sock[APOGEE_NET_UDP_SOCKETS];
};

/* Check a UDP datagram (header first) against its pseudo-header. Returns the
 * payload length, or APG_EBADMSG when short, when the length field disagrees
 * with len, or on a bad checksum (a zero checksum means "none", RFC 768). */
int udp_parse(uint32_t src, uint32_t dst, const uint8_t *p, size_t len, struct udp_hdr *h);

void udp_input(struct net_stack *s, struct net_pbuf **pp, const struct ip_hdr *h,
               const uint8_t *p, size_t len);

/* Send one datagram of len <= UDP_MAX_PAYLOAD bytes (copied). src 0: ours.
 * Returns APG_OK or a negative apg_err (EMSGSIZE, ENOMEM, EHOSTUNREACH). */
int udp_send(struct net_stack *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
             const void *data, size_t len);

#endif /* NET_UDP_H */
