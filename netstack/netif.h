/*
 * netif.h - the driver interface: how an Ethernet driver and the stack meet.
 *
 * Receiving: the driver takes an empty buffer with net_rx_buffer() (net.h), lets
 * the hardware (or read()) fill data[0..len) with one whole frame, sets len and
 * hands it to net_input(), which takes it. A DMA driver may keep a ring of such
 * buffers posted to the hardware: the frame is never copied on its way in. If the
 * hardware verified the frame's TCP checksum it marks p->csum NET_CSUM_RX_TCP_OK.
 *
 * Sending: the stack calls transmit() with one complete frame in p
 * (data[off..off+len), Ethernet header first, no FCS). transmit takes p: the
 * driver returns it with net_pbuf_free(nif->pool, p) when the hardware is done
 * with it (a DMA driver after the descriptor completes; the native TAP driver
 * right after write()). The stack never touches p again. A frame marked
 * NET_CSUM_TX_TCP_PARTIAL (only if the driver set tx_tcp_csum) leaves with its
 * TCP checksum completed by the driver or its hardware.
 */
#ifndef NET_NETIF_H
#define NET_NETIF_H

#include <stdbool.h>
#include <stdint.h>

#include "net_pbuf.h"

struct net_netif;

/* Returns APG_OK, or a negative apg_err if the frame could not be queued (the
 * stack counts it; the frame is lost, as on a congested wire). Takes p. */
typedef int (*net_transmit_fn)(struct net_netif *nif, struct net_pbuf *p);

struct net_netif {
    net_transmit_fn transmit;
    void *driver;           /* the driver's own state, for transmit */
    struct net_pool *pool;  /* where transmitted buffers go back to (set by net_init) */
    uint8_t mac[6];         /* set by the driver before net_link_up */
    bool tx_tcp_csum;       /* set by a driver that completes the TCP checksum of
                               frames marked NET_CSUM_TX_TCP_PARTIAL (net_pbuf.h):
                               TCP then leaves it to the driver */
    bool up;
};

#endif /* NET_NETIF_H */
