#include "udp.h"

#include <string.h>

#include "apogee/err.h"
#include "icmp.h"
#include "net.h"
#include "net_bytes.h"
#include "net_csum.h"

int udp_parse(uint32_t src, uint32_t dst, const uint8_t *p, size_t len, struct udp_hdr *h)
{
    if (len < UDP_HLEN) {
        return APG_EBADMSG;
    }
    h->sport = net_rd16(p);
    h->dport = net_rd16(p + 2);
    h->len = net_rd16(p + 4);
    h->csum = net_rd16(p + 6);
    if (h->len < UDP_HLEN || h->len != len) {
        return APG_EBADMSG;
    }
    if (h->csum != 0) {
        uint32_t sum = net_csum_pseudo(src, dst, IP_PROTO_UDP, h->len);
        if (net_csum_fold(net_csum_add(sum, p, len)) != 0) {
            return APG_EBADMSG;
        }
    }
    return (int)(len - UDP_HLEN);
}

void udp_input(struct net_stack *s, struct net_pbuf **pp, const struct ip_hdr *h,
               const uint8_t *p, size_t len)
{
    struct udp_hdr u;
    s->cnt.udp_rx++;
    if (udp_parse(h->src, h->dst, p, len, &u) < 0 || u.sport == 0 || u.dport == 0) {
        s->cnt.udp_bad++;
        return;
    }
    const uint8_t *data = p + UDP_HLEN;
    size_t dlen = len - UDP_HLEN;
    if (s->udp_hook != NULL && s->udp_hook(s->upper_ctx, h, u.sport, u.dport, data, dlen)) {
        return;
    }
    struct udp_sock *k = NULL;
    for (unsigned i = 0; i < APOGEE_NET_UDP_SOCKETS; i++) {
        if (s->udp.sock[i].port == u.dport) {
            k = &s->udp.sock[i];
        }
    }
    if (k == NULL || (s->addr == 0)) {
        s->cnt.udp_noport++;
        icmp_port_unreachable(s, h, p, len);
        return;
    }
    /* The frame's buffer is already out of the pool, so free_count is what would
     * be left if the datagram stayed. */
    if (k->count == APOGEE_NET_UDP_RXQ || s->pool.free_count < APOGEE_NET_UDP_RESERVE) {
        s->cnt.udp_q_full++;
        return;
    }
    /* Keep the frame's own buffer when we have it (no copy); a reassembled
     * datagram is copied into a fresh one. */
    struct net_pbuf *b = *pp;
    if (b != NULL) {
        *pp = NULL;
        b->off = (uint16_t)(data - b->data);
        b->len = (uint16_t)dlen;
    } else {
        if (dlen > APOGEE_NET_PBUF_SIZE || (b = net_pbuf_alloc(&s->pool, 0)) == NULL) {
            s->cnt.nobuf++;
            return;
        }
        memcpy(net_pbuf_put(b, dlen), data, dlen);
    }
    b->meta_ip = h->src;
    b->meta_port = u.sport;
    k->q[(k->head + k->count) % APOGEE_NET_UDP_RXQ] = b;
    k->count++;
}

int udp_send(struct net_stack *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
             const void *data, size_t len)
{
    if (len > UDP_MAX_PAYLOAD) {
        s->cnt.ip_tx_toobig++;
        return APG_EMSGSIZE;
    }
    struct net_pbuf *p = net_pbuf_alloc(&s->pool, NET_PBUF_HEADROOM);
    if (p == NULL) {
        s->cnt.nobuf++;
        return APG_ENOMEM;
    }
    memcpy(net_pbuf_put(p, len), data, len);
    uint8_t *u = net_pbuf_push(p, UDP_HLEN);
    if (src == 0) {
        src = s->addr;
    }
    net_wr16(u, sport);
    net_wr16(u + 2, dport);
    net_wr16(u + 4, p->len);
    net_wr16(u + 6, 0);
    uint16_t c = net_csum_fold(net_csum_add(net_csum_pseudo(src, dst, IP_PROTO_UDP, p->len), u, p->len));
    net_wr16(u + 6, c == 0 ? 0xFFFFu : c); /* 0 would mean "no checksum" */
    s->cnt.udp_tx++;
    return ip_output(s, p, src, dst, IP_PROTO_UDP);
}
