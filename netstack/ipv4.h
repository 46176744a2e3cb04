/*
 * ipv4.h - IPv4 for a host (RFC 791, RFC 1122): no forwarding, no fragmentation
 * on send (TCP sizes its segments with the MSS; UDP sends that do not fit one
 * frame fail with APG_EMSGSIZE), reassembly of received fragments (ip_reass.h).
 *
 * Received headers are checked for version, header length, total length, and
 * checksum; options are walked for well-formedness and otherwise skipped (none is
 * acted on). TTL is not checked on receipt (a host accepts any, RFC 1122
 * 3.2.1.7); sent packets carry APOGEE_NET_IP_TTL.
 */
#ifndef NET_IPV4_H
#define NET_IPV4_H

#include <stddef.h>
#include <stdint.h>

#include "net_pbuf.h"

#ifndef APOGEE_NET_IP_TTL
#define APOGEE_NET_IP_TTL 64
#endif

#define IP_HLEN 20
#define IP_MTU 1500
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_BROADCAST 0xFFFFFFFFu

struct net_stack;

/* A parsed header. raw/hlen point at the header bytes as received (ICMP errors
 * quote them). */
struct ip_hdr {
    const uint8_t *raw;
    uint16_t hlen;      /* header length in bytes, 20..60 */
    uint16_t total;     /* total length from the header (<= the bytes given) */
    uint16_t id;
    uint16_t frag_off;  /* fragment offset in bytes */
    uint8_t more_frags; /* MF flag */
    uint8_t ttl;
    uint8_t proto;
    uint32_t src, dst;  /* host order */
};

/* Check and parse an IPv4 packet (header first). Returns the header length, or
 * APG_EBADMSG for anything malformed: short buffer, version != 4, IHL < 5,
 * total length shorter than the header or longer than len, bad checksum,
 * malformed options. Bytes beyond `total` (Ethernet padding) are ignored. */
int ip_parse(const uint8_t *pkt, size_t len, struct ip_hdr *h);

/* Handle a received IPv4 packet (the bytes after the Ethernet header); pp is the
 * frame's buffer, which a layer may take (setting *pp to NULL) to keep the
 * payload without a copy. */
void ip_input(struct net_stack *s, struct net_pbuf **pp, const uint8_t *pkt, size_t len);

/* Prepend an IPv4 header to the transport data in p and send it towards dst
 * through ARP. src 0 means our address (which may itself be 0 before DHCP).
 * Takes p. Returns APG_OK, or APG_EMSGSIZE (over the MTU), APG_EHOSTUNREACH
 * (no address or route), APG_ENOMEM (ARP queue full); all counted. */
int ip_output(struct net_stack *s, struct net_pbuf *p, uint32_t src, uint32_t dst, uint8_t proto);

/* ip_output for data the caller keeps: copies len bytes into a new buffer.
 * Returns as ip_output, or APG_ENOMEM when the pool is empty. */
int ip_send(struct net_stack *s, uint32_t src, uint32_t dst, uint8_t proto,
            const uint8_t *data, size_t len);

/* ip_send with the new buffer's checksum offload marks set to csum (NET_CSUM_*,
 * net_pbuf.h): TCP's segments with a partial checksum go out this way. */
int ip_send_marked(struct net_stack *s, uint32_t src, uint32_t dst, uint8_t proto,
                   const uint8_t *data, size_t len, uint8_t csum);

/* Is dst one of ours to receive: our address, limited or subnet broadcast? */
int ip_is_local(const struct net_stack *s, uint32_t dst);

#endif /* NET_IPV4_H */
