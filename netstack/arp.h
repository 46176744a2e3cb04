/*
 * arp.h - ARP for IPv4 over Ethernet (RFC 826), with a bounded cache.
 *
 * The cache holds APOGEE_NET_ARP_CACHE entries. A lookup for an unknown address
 * creates a pending entry and sends a request, retried every
 * APOGEE_NET_ARP_RETRY_MS up to APOGEE_NET_ARP_TRIES times; the IPv4 packets that
 * wait for the answer sit in one shared queue of APOGEE_NET_ARP_QUEUE buffers and
 * are sent when the reply comes or freed (counted) when the tries run out.
 * Resolved entries live APOGEE_NET_ARP_TTL_MS; when the cache is full the oldest
 * resolved entry is replaced. A gratuitous request announces our address when the
 * link comes up or the address changes.
 */
#ifndef NET_ARP_H
#define NET_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "net_pbuf.h"

#ifndef APOGEE_NET_ARP_CACHE
#define APOGEE_NET_ARP_CACHE 8
#endif
#ifndef APOGEE_NET_ARP_QUEUE
#define APOGEE_NET_ARP_QUEUE 4
#endif
#ifndef APOGEE_NET_ARP_TTL_MS
#define APOGEE_NET_ARP_TTL_MS 300000u
#endif
#ifndef APOGEE_NET_ARP_RETRY_MS
#define APOGEE_NET_ARP_RETRY_MS 1000u
#endif
#ifndef APOGEE_NET_ARP_TRIES
#define APOGEE_NET_ARP_TRIES 3u
#endif

#define ARP_LEN 28

struct net_stack;

/* A parsed ARP packet for IPv4 over Ethernet (addresses host order). */
struct arp_msg {
    uint16_t op; /* 1 request, 2 reply */
    uint8_t sha[6];
    uint32_t spa;
    uint8_t tha[6];
    uint32_t tpa;
};

struct arp_entry {
    uint32_t ip;      /* 0: the entry is free */
    uint8_t mac[6];
    uint8_t pending;  /* 1 while waiting for a reply */
    uint8_t tries;    /* requests sent so far */
    uint64_t when;    /* pending: next retry; resolved: expiry */
};

struct arp_table {
    struct arp_entry e[APOGEE_NET_ARP_CACHE];
    struct net_pbuf *q[APOGEE_NET_ARP_QUEUE]; /* waiting packets; meta_ip = next hop */
};

/* Parse an ARP body (after the Ethernet header). Returns ARP_LEN, or
 * APG_EBADMSG if it is short or not Ethernet/IPv4 (htype 1, ptype 0x0800, 6/4),
 * or APG_ENOTSUP for an operation other than request or reply. */
int arp_parse(const uint8_t *p, size_t len, struct arp_msg *m);

/* Handle a received ARP body: learn, answer requests for our address. */
void arp_input(struct net_stack *s, const uint8_t *p, size_t len);

/* Send the IPv4 packet in p to next hop `nexthop` (host order; 0xFFFFFFFF for
 * broadcast): at once if its MAC is known, else after resolution. Takes p.
 * Returns APG_OK (sent or queued) or a negative apg_err (counted, p freed). */
int arp_output(struct net_stack *s, struct net_pbuf *p, uint32_t nexthop);

/* Retries, expiry; returns ms until it next needs to run (UINT32_MAX: never). */
uint32_t arp_poll(struct net_stack *s);

/* Gratuitous ARP: a request for our own address, telling the segment our MAC. */
void arp_announce(struct net_stack *s);

/* Ask who has ip, from sender address 0.0.0.0 (an RFC 5227 probe). To watch for
 * an answer, set s->arp_watch = ip and clear s->arp_conflict first: any ARP packet
 * from that address, or another host's probe for it, sets s->arp_conflict. */
void arp_probe(struct net_stack *s, uint32_t ip);

/* Forget everything and free queued packets (link down, address change). */
void arp_flush(struct net_stack *s);

#endif /* NET_ARP_H */
