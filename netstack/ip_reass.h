/*
 * ip_reass.h - reassembly of IPv4 fragments in a fixed number of slots.
 *
 * Each slot reassembles one datagram (keyed by source, destination, protocol and
 * ID) into its own buffer of APOGEE_NET_REASS_SIZE payload bytes, keeping a bitmap
 * of the 8-byte blocks received. Rules, chosen so a hostile sender cannot make
 * the result depend on arrival order:
 *   - an exact duplicate of data already held is ignored (networks duplicate);
 *   - any other overlap discards the whole datagram (as RFC 5722 does for IPv6);
 *   - fragments past APOGEE_NET_REASS_SIZE, a non-last fragment whose length is
 *     not a multiple of 8, or two different ends discard the datagram;
 *   - a datagram not complete within APOGEE_NET_REASS_TIMEOUT_MS is discarded;
 *   - when every slot is busy, the new fragment is dropped (counted).
 */
#ifndef NET_IP_REASS_H
#define NET_IP_REASS_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4.h"

#ifndef APOGEE_NET_REASS_SLOTS
#define APOGEE_NET_REASS_SLOTS 2
#endif
#ifndef APOGEE_NET_REASS_SIZE
#define APOGEE_NET_REASS_SIZE 2048
#endif
#ifndef APOGEE_NET_REASS_TIMEOUT_MS
#define APOGEE_NET_REASS_TIMEOUT_MS 10000u
#endif

#if APOGEE_NET_REASS_SIZE % 8 != 0 || APOGEE_NET_REASS_SIZE > 65528
#error "APOGEE_NET_REASS_SIZE must be a multiple of 8 below 64 KiB"
#endif

struct ip_reass_slot {
    uint32_t src, dst;
    uint16_t id;
    uint8_t proto;
    uint8_t used;
    uint16_t total;      /* payload length once the last fragment came, else 0 */
    uint16_t hlen;       /* header of the first fragment, kept for ICMP errors */
    uint64_t deadline;
    uint8_t hdr[60];
    uint8_t have[APOGEE_NET_REASS_SIZE / 64]; /* one bit per 8-byte block */
    uint8_t data[APOGEE_NET_REASS_SIZE];
};

struct ip_reass {
    struct ip_reass_slot slot[APOGEE_NET_REASS_SLOTS];
};

/* Add one fragment (h parsed, payload = its data). Returns the slot when this
 * fragment completes the datagram (the caller delivers slot->data, slot->total,
 * then calls ip_reass_release), else NULL. */
struct ip_reass_slot *ip_reass_add(struct net_stack *s, const struct ip_hdr *h,
                                   const uint8_t *payload, size_t plen);

void ip_reass_release(struct ip_reass_slot *slot);

/* Expire old datagrams; returns ms until the next deadline (UINT32_MAX: none). */
uint32_t ip_reass_poll(struct net_stack *s);

#endif /* NET_IP_REASS_H */
