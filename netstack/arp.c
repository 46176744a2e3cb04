#include "arp.h"

#include <string.h>

#include "apogee/err.h"
#include "eth.h"
#include "net.h"
#include "net_bytes.h"

int arp_parse(const uint8_t *p, size_t len, struct arp_msg *m)
{
    if (len < ARP_LEN || net_rd16(p) != 1 || net_rd16(p + 2) != ETH_TYPE_IPV4 || p[4] != 6 ||
        p[5] != 4) {
        return APG_EBADMSG;
    }
    m->op = net_rd16(p + 6);
    memcpy(m->sha, p + 8, 6);
    m->spa = net_rd32(p + 14);
    memcpy(m->tha, p + 18, 6);
    m->tpa = net_rd32(p + 24);
    return (m->op == 1 || m->op == 2) ? ARP_LEN : APG_ENOTSUP;
}

static void arp_send(struct net_stack *s, uint16_t op, const uint8_t dst_mac[6],
                     const uint8_t tha[6], uint32_t tpa)
{
    struct net_pbuf *p = net_pbuf_alloc(&s->pool, NET_PBUF_HEADROOM);
    if (p == NULL) {
        s->cnt.nobuf++;
        return;
    }
    uint8_t *a = net_pbuf_put(p, ARP_LEN);
    net_wr16(a, 1);
    net_wr16(a + 2, ETH_TYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    net_wr16(a + 6, op);
    memcpy(a + 8, s->netif.mac, 6);
    net_wr32(a + 14, s->addr);
    memcpy(a + 18, tha, 6);
    net_wr32(a + 24, tpa);
    if (op == 1) {
        s->cnt.arp_req_sent++;
    } else {
        s->cnt.arp_reply_sent++;
    }
    (void)eth_output(s, p, dst_mac, ETH_TYPE_ARP);
}

static const uint8_t zero_mac[6];

static void send_request(struct net_stack *s, struct arp_entry *e)
{
    e->tries++;
    e->when = s->now_ms + APOGEE_NET_ARP_RETRY_MS;
    arp_send(s, 1, eth_broadcast, zero_mac, e->ip);
}

static struct arp_entry *find(struct net_stack *s, uint32_t ip)
{
    for (unsigned i = 0; i < APOGEE_NET_ARP_CACHE; i++) {
        if (s->arp.e[i].ip == ip) {
            return &s->arp.e[i];
        }
    }
    return NULL;
}

/* A free entry, else the resolved one closest to expiry; NULL if all are pending
 * (then new resolutions wait: pending entries end within TRIES * RETRY_MS). */
static struct arp_entry *victim(struct net_stack *s)
{
    struct arp_entry *best = NULL;
    for (unsigned i = 0; i < APOGEE_NET_ARP_CACHE; i++) {
        struct arp_entry *e = &s->arp.e[i];
        if (e->ip == 0) {
            return e;
        }
        if (!e->pending && (best == NULL || e->when < best->when)) {
            best = e;
        }
    }
    return best;
}

/* Send (or drop) every queued packet for ip; mac NULL means resolution failed. */
static void flush_queue(struct net_stack *s, uint32_t ip, const uint8_t *mac)
{
    for (unsigned i = 0; i < APOGEE_NET_ARP_QUEUE; i++) {
        struct net_pbuf *p = s->arp.q[i];
        if (p != NULL && p->meta_ip == ip) {
            s->arp.q[i] = NULL;
            if (mac != NULL) {
                (void)eth_output(s, p, mac, ETH_TYPE_IPV4);
            } else {
                s->cnt.arp_timeout++;
                net_pbuf_free(&s->pool, p);
            }
        }
    }
}

static void learn(struct net_stack *s, uint32_t ip, const uint8_t mac[6], int create)
{
    struct arp_entry *e = find(s, ip);
    if (e == NULL) {
        if (!create || (e = victim(s)) == NULL) {
            return;
        }
        if (e->ip != 0) {
            flush_queue(s, e->ip, NULL);
        }
        e->ip = ip;
    }
    memcpy(e->mac, mac, 6);
    e->pending = 0;
    e->tries = 0;
    e->when = s->now_ms + APOGEE_NET_ARP_TTL_MS;
    flush_queue(s, ip, mac);
}

void arp_input(struct net_stack *s, const uint8_t *p, size_t len)
{
    struct arp_msg m;
    s->cnt.arp_rx++;
    if (arp_parse(p, len, &m) < 0) {
        s->cnt.arp_bad++;
        return;
    }
    if (s->arp_watch != 0 && (m.spa == s->arp_watch ||
                              (m.spa == 0 && m.tpa == s->arp_watch &&
                               memcmp(m.sha, s->netif.mac, 6) != 0))) {
        s->arp_conflict = 1; /* the address we probe is someone else's */
    }
    /* A sender claiming a broadcast, multicast or zero address, or a group MAC,
     * teaches us nothing usable. */
    if (m.spa == 0 || m.spa == IP_BROADCAST || (m.spa >> 28) == 0xE || (m.sha[0] & 1)) {
        s->cnt.arp_bad++;
        return;
    }
    if (s->addr == 0 || m.spa == s->addr) {
        return; /* not configured yet, or someone else claims our address */
    }
    int for_us = m.tpa == s->addr;
    /* RFC 826: update an existing entry from any packet; add one only when the
     * packet is addressed to us (so a broadcast storm cannot flush the cache). */
    learn(s, m.spa, m.sha, for_us);
    if (for_us && m.op == 1) {
        arp_send(s, 2, m.sha, m.sha, m.spa);
    }
}

int arp_output(struct net_stack *s, struct net_pbuf *p, uint32_t nexthop)
{
    if (nexthop == IP_BROADCAST) {
        return eth_output(s, p, eth_broadcast, ETH_TYPE_IPV4);
    }
    struct arp_entry *e = find(s, nexthop);
    if (e != NULL && !e->pending) {
        return eth_output(s, p, e->mac, ETH_TYPE_IPV4);
    }
    unsigned slot = APOGEE_NET_ARP_QUEUE;
    for (unsigned i = 0; i < APOGEE_NET_ARP_QUEUE; i++) {
        if (s->arp.q[i] == NULL) {
            slot = i;
            break;
        }
    }
    if (e == NULL) {
        e = victim(s);
        if (e != NULL) {
            if (e->ip != 0) {
                flush_queue(s, e->ip, NULL);
            }
            e->ip = nexthop;
            e->pending = 1;
            e->tries = 0;
            send_request(s, e);
        }
    }
    if (e == NULL || slot == APOGEE_NET_ARP_QUEUE) {
        s->cnt.arp_q_full++;
        net_pbuf_free(&s->pool, p);
        return APG_ENOMEM;
    }
    p->meta_ip = nexthop;
    s->arp.q[slot] = p;
    return APG_OK;
}

uint32_t arp_poll(struct net_stack *s)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < APOGEE_NET_ARP_CACHE; i++) {
        struct arp_entry *e = &s->arp.e[i];
        if (e->ip == 0) {
            continue;
        }
        if (s->now_ms >= e->when) {
            if (e->pending && e->tries < APOGEE_NET_ARP_TRIES) {
                send_request(s, e);
            } else {
                if (e->pending) {
                    flush_queue(s, e->ip, NULL);
                }
                memset(e, 0, sizeof(*e));
                continue;
            }
        }
        if (e->when < next) {
            next = e->when;
        }
    }
    if (next == UINT64_MAX) {
        return UINT32_MAX;
    }
    uint64_t d = next - s->now_ms;
    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

void arp_announce(struct net_stack *s)
{
    arp_send(s, 1, eth_broadcast, zero_mac, s->addr);
}

void arp_probe(struct net_stack *s, uint32_t ip)
{
    uint32_t own = s->addr;
    s->addr = 0; /* a probe's sender address is 0.0.0.0 */
    arp_send(s, 1, eth_broadcast, zero_mac, ip);
    s->addr = own;
}

void arp_flush(struct net_stack *s)
{
    for (unsigned i = 0; i < APOGEE_NET_ARP_QUEUE; i++) {
        net_pbuf_free(&s->pool, s->arp.q[i]);
        s->arp.q[i] = NULL;
    }
    memset(s->arp.e, 0, sizeof(s->arp.e));
}
