#include "net.h"

#include <string.h>

#include "apogee/err.h"
#include "eth.h"

void net_init(struct net_stack *s, uint32_t (*random32)(void *ctx), void *random_ctx)
{
    memset(s, 0, sizeof(*s));
    net_pool_init(&s->pool);
    s->netif.pool = &s->pool;
    s->random32 = random32;
    s->random_ctx = random_ctx;
    s->ip_id = (uint16_t)random32(random_ctx);
    s->icmp.tokens = APOGEE_NET_ICMP_RATE;
}

void net_set_addr(struct net_stack *s, uint32_t addr, uint32_t mask, uint32_t gateway)
{
    int changed = addr != s->addr;
    s->addr = addr;
    s->mask = mask;
    s->gateway = gateway;
    if (changed && addr != 0 && s->netif.up) {
        arp_announce(s);
    }
}

void net_link_up(struct net_stack *s, uint64_t now_ms)
{
    s->now_ms = now_ms;
    s->netif.up = true;
    if (s->addr != 0) {
        arp_announce(s);
    }
}

void net_link_down(struct net_stack *s)
{
    s->netif.up = false;
    arp_flush(s);
}

struct net_pbuf *net_rx_buffer(struct net_stack *s)
{
    return net_pbuf_alloc(&s->pool, 0);
}

void net_input(struct net_stack *s, struct net_pbuf *p, uint64_t now_ms)
{
    s->now_ms = now_ms;
    s->cnt.rx_frames++;
    eth_input(s, &p);
    net_pbuf_free(&s->pool, p); /* NULL when a layer kept it */
}

uint32_t net_poll(struct net_stack *s, uint64_t now_ms)
{
    s->now_ms = now_ms;
    uint32_t a = arp_poll(s);
    uint32_t r = ip_reass_poll(s);
    return a < r ? a : r;
}

int net_transmit(struct net_stack *s, struct net_pbuf *p)
{
    if (!s->netif.up || s->netif.transmit == NULL) {
        net_pbuf_free(&s->pool, p);
        s->cnt.tx_err++;
        return APG_EIO;
    }
    int rc = s->netif.transmit(&s->netif, p);
    if (rc < 0) {
        s->cnt.tx_err++;
    } else {
        s->cnt.tx_frames++;
    }
    return rc;
}

uint32_t net_nexthop(const struct net_stack *s, uint32_t dst)
{
    if (dst == IP_BROADCAST) {
        return dst;
    }
    if (s->addr != 0 && ((dst ^ s->addr) & s->mask) == 0) {
        return dst;
    }
    return s->gateway;
}
