#include "icmp.h"

#include <string.h>

#include "net.h"
#include "net_bytes.h"
#include "net_csum.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8

static struct net_pbuf *icmp_alloc(struct net_stack *s, size_t len)
{
    if (len > IP_MTU - IP_HLEN) {
        s->cnt.ip_tx_toobig++;
        return NULL;
    }
    struct net_pbuf *p = net_pbuf_alloc(&s->pool, NET_PBUF_HEADROOM);
    if (p == NULL) {
        s->cnt.nobuf++;
        return NULL;
    }
    (void)net_pbuf_put(p, len);
    return p;
}

void icmp_input(struct net_stack *s, const struct ip_hdr *h, const uint8_t *p, size_t len)
{
    s->cnt.icmp_rx++;
    if (len < 8 || net_csum_fold(net_csum_add(0, p, len)) != 0) {
        s->cnt.icmp_bad++;
        return;
    }
    /* Echo only to unicast: answering broadcasts would make us an amplifier. */
    if (p[0] != ICMP_ECHO || h->dst != s->addr) {
        return;
    }
    struct net_pbuf *r = icmp_alloc(s, len);
    if (r == NULL) {
        return;
    }
    uint8_t *o = net_pbuf_data(r);
    memcpy(o, p, len);
    o[0] = ICMP_ECHO_REPLY;
    o[1] = 0;
    net_wr16(o + 2, 0);
    net_wr16(o + 2, net_csum_fold(net_csum_add(0, o, len)));
    s->cnt.icmp_echo++;
    (void)ip_output(s, r, s->addr, h->src, IP_PROTO_ICMP);
}

static int take_token(struct net_stack *s)
{
    uint64_t elapsed = s->now_ms - s->icmp.refill_ms;
    if (elapsed >= 1000u / APOGEE_NET_ICMP_RATE) {
        uint64_t add = elapsed * APOGEE_NET_ICMP_RATE / 1000u;
        s->icmp.tokens = add + s->icmp.tokens >= APOGEE_NET_ICMP_RATE
                             ? APOGEE_NET_ICMP_RATE
                             : s->icmp.tokens + (uint32_t)add;
        s->icmp.refill_ms = s->now_ms;
    }
    if (s->icmp.tokens == 0) {
        return 0;
    }
    s->icmp.tokens--;
    return 1;
}

void icmp_port_unreachable(struct net_stack *s, const struct ip_hdr *h, const uint8_t *p,
                           size_t len)
{
    if (h->dst != s->addr || h->src == 0) {
        return; /* never about broadcasts, never to "this host" */
    }
    if (!take_token(s)) {
        s->cnt.icmp_ratelimited++;
        return;
    }
    /* RFC 792: the original header and the first 8 bytes of its data. */
    size_t quote = len < 8 ? len : 8;
    struct net_pbuf *r = icmp_alloc(s, 8 + h->hlen + quote);
    if (r == NULL) {
        return;
    }
    uint8_t *o = net_pbuf_data(r);
    memset(o, 0, 8);
    o[0] = ICMP_UNREACH;
    o[1] = 3;
    memcpy(o + 8, h->raw, h->hlen);
    memcpy(o + 8 + h->hlen, p, quote);
    net_wr16(o + 2, net_csum_fold(net_csum_add(0, o, r->len)));
    s->cnt.icmp_unreach_sent++;
    (void)ip_output(s, r, s->addr, h->src, IP_PROTO_ICMP);
}
