/*
 * virtio_net.h - polled driver for a virtio network device (virtio spec 1.0,
 * 5.1) on the virtio-mmio transport (../mmio/virtio_mmio.h), legacy or modern,
 * as QEMU's virt machine gives it with `-netdev ... -device virtio-net-device`
 * (modern with `-global virtio-mmio.force-legacy=false`).
 *
 * The board's network hook (apogee/netdev.h) is implemented in virtio_net.c on
 * the first virtio-net device found in the chip's virtio-mmio slots; this header
 * is the driver underneath.
 *
 * Features: only MAC (the device's address) and STATUS (its link state) are
 * accepted; no checksum or segmentation offload, no mergeable receive buffers,
 * so every buffer carries a virtio_net_hdr (all zero on transmit) in its own
 * descriptor ahead of the frame: 10 bytes on a legacy device, 12 (with
 * num_buffers) once VIRTIO_F_VERSION_1 is negotiated (spec 5.1.6).
 *
 * Receive: VIRTIO_NET_RXQ static buffers stay posted to the device; a frame that
 * arrives is copied into a pool buffer (net_rx_buffer) and the static buffer is
 * posted again. Static rather than pool buffers posted to the device because a
 * posted buffer is held until a frame arrives: posting pool buffers would keep
 * VIRTIO_NET_RXQ of the app's pool away from the stack at all times. The copy
 * (at most 1514 bytes per frame) is small beside the emulated device's own. With
 * the pool empty, frames stay in the used ring (and then in QEMU) until a buffer
 * is freed.
 *
 * Transmit: zero copy. The stack's buffer is chained behind a header descriptor
 * and held until the device returns it in the used ring; then it is freed. At
 * most VIRTIO_NET_TXQ frames are in flight.
 *
 * Counted drops (struct virtio_net.count, read through hal_net_counters under
 * the LAN9118's names, so that tests and tools read either NIC alike):
 *   VIRTIO_NET_RX_ERR      a used receive buffer shorter than a header and an
 *                          Ethernet header, or naming no receive slot
 *   VIRTIO_NET_RX_TOOLONG  a frame that does not fit a pool buffer
 *   VIRTIO_NET_TX_ERR      a frame not sent: the device asked to be reset
 *   VIRTIO_NET_TX_FULL     a frame for which no transmit slot freed within TX_WAIT_US
 *   VIRTIO_NET_TX_BAD      a frame of an impossible length (not 14..1514 bytes)
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "../mmio/virtio_mmio.h"
#include "net.h"

#define VIRTIO_NET_RXQ 16u /* receive buffers posted (descriptor pairs) */
#define VIRTIO_NET_TXQ 8u  /* frames in flight (descriptor pairs) */
#define VIRTIO_NET_HDR_LEGACY 10u /* legacy header without MRG_RXBUF (spec 5.1.6) */
#define VIRTIO_NET_HDR_MODERN 12u /* with num_buffers, always there in virtio 1.0 */
/* One receive buffer: the largest frame QEMU delivers on a 1500-byte MTU
 * (1514), a VLAN tag and slack. A frame longer than the posted chain would be
 * a fatal device error in QEMU without MRG_RXBUF, so this stays generous. */
#define VIRTIO_NET_RX_BUF 1536u

enum virtio_net_counter {
    VIRTIO_NET_RX_ERR,
    VIRTIO_NET_RX_TOOLONG,
    VIRTIO_NET_TX_ERR,
    VIRTIO_NET_TX_FULL,
    VIRTIO_NET_TX_BAD,
    VIRTIO_NET_COUNTERS /* how many */
};

struct virtio_net {
    virtio_mmio_regs_t *regs;
    struct net_stack *s;
    uint32_t features;          /* the feature bits 0..31 negotiated */
    uint32_t hdr_len;           /* VIRTIO_NET_HDR_LEGACY or _MODERN */
    bool link;
    uint64_t next_link_check;   /* ms */
    uint16_t rx_seen, tx_seen;  /* used indexes consumed up to */
    uint8_t tx_free[VIRTIO_NET_TXQ]; /* free transmit slots, a stack */
    uint8_t tx_nfree;
    struct net_pbuf *tx_pbuf[VIRTIO_NET_TXQ]; /* the frame each busy slot holds */
    uint32_t count[VIRTIO_NET_COUNTERS]; /* enum virtio_net_counter */
};

/*
 * Find the first virtio-net device in bases[0..count), reset it,
 * negotiate MAC and STATUS, set up the receive and transmit queues with every
 * receive buffer posted, take the device's MAC (else a fixed locally
 * administered 02:00:00:00:7e:01), set s->netif and report the link up.
 * Returns APG_OK, APG_EIO when no such device answers, refuses the features,
 * or a queue cannot be set up.
 */
int virtio_net_open(struct virtio_net *d, const uintptr_t *bases, unsigned count,
                    struct net_stack *s, uint64_t now_ms);

/* Hand up to a bounded burst of received frames to the stack, return the
 * buffers of sent frames to the pool, and follow the link state. */
void virtio_net_receive(struct virtio_net *d, uint64_t now_ms);

/* True when at least one received frame waits in the used ring. */
bool virtio_net_rx_pending(const struct virtio_net *d);

#endif /* VIRTIO_NET_H */
