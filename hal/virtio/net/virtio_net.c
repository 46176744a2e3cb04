/*
 * Polled virtio-net driver (see virtio_net.h) and the board network hook of
 * apogee/netdev.h on the first virtio-net device in the chip's virtio-mmio slots.
 *
 * Descriptor layout, fixed at open: receive slot k owns descriptors 2k (its
 * header) and 2k+1 (its frame buffer), chained; transmit slot k owns 2k (the
 * shared all-zero header) and 2k+1 (the stack's frame). The used ring names a
 * chain by its head, so head / 2 is the slot.
 */
#include "virtio_net.h"

#include <string.h>

#include "apogee/err.h"
#include "apogee/hal.h"
#include "apogee/netdev.h"
#include "board_config.h"

/* Feature bits (spec 5.1.3). */
#define VIRTIO_NET_F_MAC (1u << 5)     /* config holds the device's MAC */
#define VIRTIO_NET_F_STATUS (1u << 16) /* config holds the link state */
/* Configuration layout (spec 5.1.4): mac[6], then status (u16). */
#define CONFIG_MAC 0u
#define CONFIG_STATUS 6u
#define STATUS_LINK_UP 1u

#define RXQ_INDEX 0u /* receiveq1 */
#define TXQ_INDEX 1u /* transmitq1 */
#define RX_DESCS (2u * VIRTIO_NET_RXQ)
#define TX_DESCS (2u * VIRTIO_NET_TXQ)

#define ETH_MIN 14u
#define ETH_MAX 1514u
#define TX_WAIT_US 2000u /* for a transmit slot: QEMU completes a frame in microseconds */
#define RX_BURST 32      /* frames per receive call: the main loop keeps turning */
#define LINK_CHECK_MS 500u

_Static_assert(VIRTIO_NET_RXQ <= 16 && VIRTIO_NET_TXQ <= 16, "rings fit one page (32 descriptors)");
_Static_assert(VIRTIO_NET_TXQ < 256, "tx_free holds slot numbers in bytes");

/* The rings and receive buffers the device reads and writes: static, never moved. */
static VIRTQ_RING(RX_DESCS) rxq;
static VIRTQ_RING(TX_DESCS) txq;
static uint8_t rx_hdr[VIRTIO_NET_RXQ][VIRTIO_NET_HDR_MODERN];
static uint8_t rx_buf[VIRTIO_NET_RXQ][VIRTIO_NET_RX_BUF] __attribute__((aligned(4)));
/* No offload negotiated: flags 0, gso_type NONE, every frame sent as is. */
static const uint8_t tx_hdr[VIRTIO_NET_HDR_MODERN];

static void notify(virtio_mmio_regs_t *r, uint16_t used_flags, uint32_t queue)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* avail index before the flags and notify */
    if (!(used_flags & VIRTQ_USED_F_NO_NOTIFY)) {
        r->QUEUE_NOTIFY = queue;
    }
}

/* Make receive slot k available to the device again (without notifying). */
static void rx_post(unsigned k)
{
    rxq.avail_ring[rxq.avail_idx % RX_DESCS] = (uint16_t)(2u * k);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* ring entry before index */
    rxq.avail_idx++;
}

/* Free the buffers of every frame the device has finished sending. */
static void tx_reclaim(struct virtio_net *d)
{
    while (d->tx_seen != VIRTQ_USED_IDX(txq)) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* index before the element */
        uint32_t k = txq.used_ring[d->tx_seen % TX_DESCS].id / 2u;
        d->tx_seen++;
        if (k < VIRTIO_NET_TXQ && d->tx_pbuf[k] != NULL) {
            net_pbuf_free(d->s->netif.pool, d->tx_pbuf[k]);
            d->tx_pbuf[k] = NULL;
            d->tx_free[d->tx_nfree++] = (uint8_t)k;
        }
    }
}

static int virtio_net_transmit(struct net_netif *nif, struct net_pbuf *p)
{
    struct virtio_net *d = nif->driver;
    uint32_t len = p->len;
    if (len < ETH_MIN || len > ETH_MAX) {
        d->count[VIRTIO_NET_TX_BAD]++;
        net_pbuf_free(nif->pool, p);
        return APG_EINVAL;
    }
    if (d->regs->STATUS & VIRTIO_MMIO_STATUS_NEEDS_RESET_BITS) {
        d->count[VIRTIO_NET_TX_ERR]++;
        net_pbuf_free(nif->pool, p);
        return APG_EIO;
    }
    tx_reclaim(d);
    uint64_t start = hal_clock_us();
    while (d->tx_nfree == 0) {
        if (hal_clock_us() - start > TX_WAIT_US) {
            d->count[VIRTIO_NET_TX_FULL]++;
            net_pbuf_free(nif->pool, p);
            return APG_ENOMEM;
        }
        tx_reclaim(d);
    }
    unsigned k = d->tx_free[--d->tx_nfree];
    d->tx_pbuf[k] = p;
    txq.desc[2u * k] = (struct virtq_desc){(uint64_t)(uintptr_t)tx_hdr, d->hdr_len,
                                           VIRTQ_DESC_F_NEXT, (uint16_t)(2u * k + 1u)};
    txq.desc[2u * k + 1u] = (struct virtq_desc){(uint64_t)(uintptr_t)net_pbuf_data(p), len, 0, 0};
    txq.avail_ring[txq.avail_idx % TX_DESCS] = (uint16_t)(2u * k);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* descriptors and entry before index */
    txq.avail_idx++;
    notify(d->regs, *(volatile uint16_t *)&txq.used_flags, TXQ_INDEX);
    return APG_OK;
}

static void link_check(struct virtio_net *d, uint64_t now_ms)
{
    d->next_link_check = now_ms + LINK_CHECK_MS;
    bool up = true; /* without STATUS the link is always up (spec 5.1.4) */
    if (d->features & VIRTIO_NET_F_STATUS) {
        uint8_t st[2];
        virtio_mmio_config(d->regs, CONFIG_STATUS, st, 2);
        up = (st[0] & STATUS_LINK_UP) != 0; /* little endian: the low byte first */
    }
    if (up == d->link) {
        return;
    }
    d->link = up;
    if (up) {
        net_link_up(d->s, now_ms);
    } else {
        net_link_down(d->s);
    }
}

int virtio_net_open(struct virtio_net *d, const uintptr_t *bases, unsigned count,
                    struct net_stack *s, uint64_t now_ms)
{
    memset(d, 0, sizeof(*d));
    d->s = s;
    d->regs = virtio_mmio_find(bases, count, VIRTIO_ID_NET);
    if (d->regs == NULL) {
        return APG_EIO;
    }
    virtio_mmio_regs_t *r = d->regs;
    if (virtio_mmio_begin(r, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS, &d->features) != APG_OK) {
        return APG_EIO;
    }
    d->hdr_len = virtio_mmio_modern(r) ? VIRTIO_NET_HDR_MODERN : VIRTIO_NET_HDR_LEGACY;

    memset(&rxq, 0, sizeof rxq);
    memset(&txq, 0, sizeof txq);
    for (unsigned k = 0; k < VIRTIO_NET_RXQ; k++) {
        rxq.desc[2u * k] = (struct virtq_desc){(uint64_t)(uintptr_t)rx_hdr[k], d->hdr_len,
                                               VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
                                               (uint16_t)(2u * k + 1u)};
        rxq.desc[2u * k + 1u] = (struct virtq_desc){(uint64_t)(uintptr_t)rx_buf[k],
                                                    VIRTIO_NET_RX_BUF, VIRTQ_DESC_F_WRITE, 0};
        rx_post(k);
    }
    for (unsigned k = 0; k < VIRTIO_NET_TXQ; k++) {
        d->tx_free[k] = (uint8_t)(VIRTIO_NET_TXQ - 1u - k);
    }
    d->tx_nfree = VIRTIO_NET_TXQ;
    if (virtio_mmio_queue(r, RXQ_INDEX, &rxq, RX_DESCS) != APG_OK ||
        virtio_mmio_queue(r, TXQ_INDEX, &txq, TX_DESCS) != APG_OK) {
        return APG_EIO;
    }

    uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x7e, 0x01}; /* locally administered */
    if (d->features & VIRTIO_NET_F_MAC) {
        virtio_mmio_config(r, CONFIG_MAC, mac, 6);
    }
    memcpy(s->netif.mac, mac, 6);
    s->netif.transmit = virtio_net_transmit;
    s->netif.driver = d;

    virtio_mmio_ready(r);
    notify(r, 0, RXQ_INDEX); /* the device may have dropped frames while it had no buffers */
    link_check(d, now_ms);
    return APG_OK;
}

bool virtio_net_rx_pending(const struct virtio_net *d)
{
    return d->rx_seen != VIRTQ_USED_IDX(rxq);
}

void virtio_net_receive(struct virtio_net *d, uint64_t now_ms)
{
    struct net_stack *s = d->s;
    s->now_ms = now_ms;
    bool posted = false;
    for (int i = 0; i < RX_BURST && virtio_net_rx_pending(d); i++) {
        /* The buffer first: with the pool empty the frame stays in the used
         * ring until the stack frees one. */
        struct net_pbuf *p = net_rx_buffer(s);
        if (p == NULL) {
            break; /* counted by the pool */
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* index before the element and data */
        struct virtq_used_elem e = rxq.used_ring[d->rx_seen % RX_DESCS];
        d->rx_seen++;
        uint32_t k = e.id / 2u;
        if (k >= VIRTIO_NET_RXQ || e.len < d->hdr_len + ETH_MIN) {
            d->count[VIRTIO_NET_RX_ERR]++;
            net_pbuf_free(&s->pool, p);
            if (k < VIRTIO_NET_RXQ) {
                rx_post(k);
                posted = true;
            }
            continue;
        }
        uint32_t len = e.len - d->hdr_len;
        bool fits = len <= APOGEE_NET_PBUF_SIZE && len <= VIRTIO_NET_RX_BUF;
        if (fits) {
            memcpy(p->data, rx_buf[k], len);
        }
        rx_post(k); /* copied: the device may fill it again */
        posted = true;
        if (!fits) {
            d->count[VIRTIO_NET_RX_TOOLONG]++;
            net_pbuf_free(&s->pool, p);
            continue;
        }
        p->len = (uint16_t)len;
        net_input(s, p, now_ms);
    }
    if (posted) {
        notify(d->regs, *(volatile uint16_t *)&rxq.used_flags, RXQ_INDEX);
    }
    tx_reclaim(d);
    if (now_ms >= d->next_link_check) {
        link_check(d, now_ms);
    }
}

/* ---- The board's network hook (apogee/netdev.h) ---------------------------- */

static struct virtio_net board_nic;

int hal_net_open(struct net_stack *s, uint64_t now_ms)
{
    /* Every slot of the chip (its facts describe them): QEMU puts the device
     * in whichever one its place on the command line gives it. */
    uintptr_t bases[CHIP_FACT_VIRTIO_MMIO_SLOTS];
    for (unsigned i = 0; i < CHIP_FACT_VIRTIO_MMIO_SLOTS; i++) {
        bases[i] = CHIP_FACT_VIRTIO_MMIO_BASE + i * CHIP_FACT_VIRTIO_MMIO_STRIDE;
    }
    return virtio_net_open(&board_nic, bases, CHIP_FACT_VIRTIO_MMIO_SLOTS, s, now_ms);
}

void hal_net_receive(struct net_stack *s, uint64_t now_ms)
{
    (void)s; /* the one stack given to hal_net_open */
    virtio_net_receive(&board_nic, now_ms);
}

uint32_t hal_net_wait(uint32_t timeout_ms)
{
    /* Polled: no interrupt is enabled, so WFI would never wake. The UART cannot
     * be peeked, hence CONSOLE. */
    uint64_t start = hal_clock_us();
    while (board_nic.regs == NULL || !virtio_net_rx_pending(&board_nic)) {
        if (hal_clock_us() - start >= (uint64_t)timeout_ms * 1000u) {
            return HAL_NET_CONSOLE;
        }
    }
    return HAL_NET_FRAME | HAL_NET_CONSOLE;
}

unsigned hal_net_counters(struct hal_net_counter *out, unsigned cap)
{
    /* In enum virtio_net_counter's order. */
    static const char *const names[VIRTIO_NET_COUNTERS] = {
        "nic_rx_err", "nic_rx_toolong", "nic_tx_err", "nic_tx_full", "nic_tx_bad",
    };
    for (unsigned i = 0; i < VIRTIO_NET_COUNTERS && i < cap; i++) {
        out[i] = (struct hal_net_counter){names[i], board_nic.count[i]};
    }
    return VIRTIO_NET_COUNTERS;
}

const char *hal_net_option(const char *name)
{
    (void)name; /* no command line: apps use DHCP */
    return NULL;
}
