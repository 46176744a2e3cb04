/*
 * eth.h - Ethernet II framing.
 *
 * Frames are 14-byte headers (destination, source, EtherType) then the payload;
 * the FCS is the hardware's business. 802.1Q tags and 802.3 length frames are
 * not understood and are dropped (counted as eth_drop).
 */
#ifndef NET_ETH_H
#define NET_ETH_H

#include <stddef.h>
#include <stdint.h>

#include "net_pbuf.h"

#define ETH_HLEN 14
#define ETH_TYPE_IPV4 0x0800u
#define ETH_TYPE_ARP 0x0806u

struct net_stack;

struct eth_hdr {
    uint8_t dst[6];
    uint8_t src[6];
    uint16_t type;
};

extern const uint8_t eth_broadcast[6];

/* Parse the header at the start of frame. Returns ETH_HLEN, or APG_EBADMSG if
 * len < ETH_HLEN or the type field is not an EtherType (< 0x0600). */
int eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h);

/* Prepend an Ethernet header (our MAC as source) and transmit. Takes p.
 * Returns APG_OK or a negative apg_err (headroom or driver failure, counted). */
int eth_output(struct net_stack *s, struct net_pbuf *p, const uint8_t dst[6], uint16_t type);

/* Handle one received frame in *pp. A layer that keeps the buffer sets *pp to
 * NULL; otherwise net_input frees it afterwards. */
void eth_input(struct net_stack *s, struct net_pbuf **pp);

#endif /* NET_ETH_H */
