/*
 * net_pbuf.h - packet buffers: one static pool of fixed-size buffers.
 *
 * Every frame the stack receives or sends lives in a net_pbuf taken from the
 * pool inside struct net_stack. A buffer holds one contiguous frame: the bytes in
 * use are data[off .. off+len). Free space before `off` (the headroom) lets each
 * layer prepend its header in place on the way out, so sending copies the
 * application's bytes once and no header is ever moved.
 *
 * Ownership is explicit: exactly one party owns a buffer at a time.
 *   - net_pbuf_alloc() gives the caller a buffer it owns.
 *   - A function documented as "takes p" owns it from the call on, success or
 *     failure; the caller must not touch p afterwards.
 *   - The owner returns it with net_pbuf_free().
 * Exhaustion is counted (net_pool.exhausted) and reported as NULL; it never
 * blocks. When traffic stops, free_count is back to APOGEE_NET_PBUF_COUNT.
 */
#ifndef NET_PBUF_H
#define NET_PBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Buffers in the pool (at most 255). Each transient frame, each frame waiting for
 * ARP and each datagram queued on a UDP socket holds one. */
#ifndef APOGEE_NET_PBUF_COUNT
#define APOGEE_NET_PBUF_COUNT 16
#endif

/* Bytes per buffer: a full Ethernet frame (1514) plus the send headroom. */
#ifndef APOGEE_NET_PBUF_SIZE
#define APOGEE_NET_PBUF_SIZE 1536
#endif

/* Headroom reserved by net_pbuf_alloc_tx: Ethernet (14) + IPv4 (20) + UDP (8),
 * rounded up so the payload starts 4-byte aligned. */
#define NET_PBUF_HEADROOM 44

#if APOGEE_NET_PBUF_COUNT < 2 || APOGEE_NET_PBUF_COUNT > 255
#error "APOGEE_NET_PBUF_COUNT must be 2..255"
#endif
#if APOGEE_NET_PBUF_SIZE < NET_PBUF_HEADROOM + 1480
#error "APOGEE_NET_PBUF_SIZE must hold the headroom and a full IPv4 packet"
#endif

struct net_pbuf {
    uint16_t off;      /* first byte in use */
    uint16_t len;      /* bytes in use */
    uint8_t in_use;    /* 1 while owned by someone; catches double frees */
    uint8_t next;      /* free-list link (index), meaningless while in use */
    uint16_t meta_port; /* scratch for whoever queues the buffer (UDP source port) */
    uint32_t meta_ip;  /* scratch for queues: next hop (ARP) or source (UDP) */
    uint8_t csum;      /* NET_CSUM_* below: checksum offload marks; 0 from alloc */
    uint8_t data[APOGEE_NET_PBUF_SIZE];
};

/* net_pbuf.csum. Receive: the driver's hardware verified the frame's TCP checksum
 * (receive checksum offload), so TCP does not sum it again. Transmit: the TCP
 * checksum field holds only the pseudo-header sum and the driver must have it
 * completed (by the hardware, or in software before anything else sees the frame);
 * set only when the driver's netif announced tx_tcp_csum. */
#define NET_CSUM_RX_TCP_OK 0x01
#define NET_CSUM_TX_TCP_PARTIAL 0x02

struct net_pool {
    struct net_pbuf buf[APOGEE_NET_PBUF_COUNT];
    uint8_t free_head;   /* index of the first free buffer, or 0xFF */
    uint8_t free_count;  /* buffers free now */
    uint8_t min_free;    /* low-water mark since init */
    uint32_t exhausted;  /* allocations refused because the pool was empty */
    uint32_t bad_free;   /* frees of a buffer that was not in use (a bug) */
};

/* Fill the free list; every buffer starts free. */
void net_pool_init(struct net_pool *pool);

/* A buffer with `headroom` bytes free in front and len 0, or NULL (counted) when
 * the pool is empty or headroom > APOGEE_NET_PBUF_SIZE. The caller owns it. */
struct net_pbuf *net_pbuf_alloc(struct net_pool *pool, uint16_t headroom);

/* Return a buffer to the pool. NULL is ignored; a buffer that is not in use is
 * counted in bad_free and left alone. */
void net_pbuf_free(struct net_pool *pool, struct net_pbuf *p);

/* Pointer to the bytes in use. */
static inline uint8_t *net_pbuf_data(struct net_pbuf *p)
{
    return p->data + p->off;
}

/* Room after the bytes in use. */
static inline size_t net_pbuf_tailroom(const struct net_pbuf *p)
{
    return APOGEE_NET_PBUF_SIZE - p->off - p->len;
}

/* Grow the front by n bytes (for a header); returns the new start, or NULL if
 * the headroom is smaller than n (the buffer is unchanged). */
uint8_t *net_pbuf_push(struct net_pbuf *p, size_t n);

/* Drop n bytes from the front; returns the new start, or NULL if len < n. */
uint8_t *net_pbuf_pull(struct net_pbuf *p, size_t n);

/* Grow the tail by n bytes; returns where they start, or NULL if no room. */
uint8_t *net_pbuf_put(struct net_pbuf *p, size_t n);

#endif /* NET_PBUF_H */
