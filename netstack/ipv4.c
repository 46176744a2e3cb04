#include "ipv4.h"

#include <string.h>

#include "apogee/err.h"
#include "arp.h"
#include "icmp.h"
#include "ip_reass.h"
#include "net.h"
#include "net_bytes.h"
#include "net_csum.h"
#include "udp.h"

/* Options are type-length-value except End (0) and No-op (1). A length below 2
 * or running past the header is malformed; nothing else about options matters to
 * a host that acts on none of them. */
static int options_ok(const uint8_t *o, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (o[i] == 0) {
            return 1;
        }
        if (o[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || o[i + 1] > n - i) {
            return 0;
        }
        i += o[i + 1];
    }
    return 1;
}

int ip_parse(const uint8_t *pkt, size_t len, struct ip_hdr *h)
{
    if (len < IP_HLEN || (pkt[0] >> 4) != 4) {
        return APG_EBADMSG;
    }
    size_t hlen = (size_t)(pkt[0] & 0x0F) * 4;
    size_t total = net_rd16(pkt + 2);
    if (hlen < IP_HLEN || hlen > len || total < hlen || total > len) {
        return APG_EBADMSG;
    }
    if (net_csum_fold(net_csum_add(0, pkt, hlen)) != 0 || !options_ok(pkt + IP_HLEN, hlen - IP_HLEN)) {
        return APG_EBADMSG;
    }
    uint16_t frag = net_rd16(pkt + 6);
    h->raw = pkt;
    h->hlen = (uint16_t)hlen;
    h->total = (uint16_t)total;
    h->id = net_rd16(pkt + 4);
    h->more_frags = (frag >> 13) & 1;
    h->frag_off = (uint16_t)((frag & 0x1FFFu) * 8);
    h->ttl = pkt[8];
    h->proto = pkt[9];
    h->src = net_rd32(pkt + 12);
    h->dst = net_rd32(pkt + 16);
    return (int)hlen;
}

int ip_is_local(const struct net_stack *s, uint32_t dst)
{
    if (dst == IP_BROADCAST) {
        return 1;
    }
    if (s->addr == 0) {
        return 0;
    }
    return dst == s->addr || (s->mask != 0 && s->mask != IP_BROADCAST && dst == (s->addr | ~s->mask));
}

static void deliver(struct net_stack *s, struct net_pbuf **pp, const struct ip_hdr *h,
                    const uint8_t *payload, size_t plen)
{
    switch (h->proto) {
    case IP_PROTO_ICMP:
        icmp_input(s, h, payload, plen);
        break;
    case IP_PROTO_UDP:
        udp_input(s, pp, h, payload, plen);
        break;
    case IP_PROTO_TCP:
        /* TCP answers only unicast; it checks its own checksum unless the NIC did
         * (never for a reassembled datagram: it has no buffer of its own). */
        if (s->tcp_input != NULL && h->dst == s->addr) {
            bool csum_ok = *pp != NULL && ((*pp)->csum & NET_CSUM_RX_TCP_OK);
            s->cnt.tcp_rx++;
            s->tcp_input(s->upper_ctx, h->src, h->dst, payload, plen, csum_ok, s->now_ms);
        } else {
            s->cnt.ip_proto++;
        }
        break;
    default:
        s->cnt.ip_proto++;
        break;
    }
}

void ip_input(struct net_stack *s, struct net_pbuf **pp, const uint8_t *pkt, size_t len)
{
    struct ip_hdr h;
    s->cnt.ip_rx++;
    if (ip_parse(pkt, len, &h) < 0) {
        s->cnt.ip_bad++;
        return;
    }
    /* Before an address is configured, only UDP may come in (DHCP answers to the
     * address being offered). Sources that cannot send are dropped. */
    int local = ip_is_local(s, h.dst) || (s->addr == 0 && h.proto == IP_PROTO_UDP);
    /* A source of 0.0.0.0 is only legitimate for DHCP (UDP); our own address as the
     * source is spoofed (a "land" packet). */
    int bad_src = h.src == IP_BROADCAST || (h.src >> 28) == 0xE ||
                  (h.src == 0 && h.proto != IP_PROTO_UDP) || (h.src != 0 && h.src == s->addr);
    if (!local || bad_src || (h.dst >> 28) == 0xE) {
        s->cnt.ip_not_ours++;
        return;
    }
    const uint8_t *payload = pkt + h.hlen;
    size_t plen = h.total - h.hlen;
    if (h.more_frags || h.frag_off != 0) {
        s->cnt.frag_rx++;
        struct ip_reass_slot *r = ip_reass_add(s, &h, payload, plen);
        if (r != NULL) {
            /* The first fragment's header stands for the whole datagram. */
            struct ip_hdr whole = h;
            whole.raw = r->hdr;
            whole.hlen = r->hlen;
            whole.frag_off = 0;
            whole.more_frags = 0;
            whole.total = (uint16_t)(r->hlen + r->total);
            struct net_pbuf *none = NULL;
            s->cnt.reass_ok++;
            deliver(s, &none, &whole, r->data, r->total);
            ip_reass_release(r);
        }
        return;
    }
    deliver(s, pp, &h, payload, plen);
}

int ip_output(struct net_stack *s, struct net_pbuf *p, uint32_t src, uint32_t dst, uint8_t proto)
{
    if (src == 0) {
        src = s->addr;
    }
    if (p->len > IP_MTU - IP_HLEN) {
        s->cnt.ip_tx_toobig++;
        net_pbuf_free(&s->pool, p);
        return APG_EMSGSIZE;
    }
    uint32_t hop = net_nexthop(s, dst);
    uint8_t *h = net_pbuf_push(p, IP_HLEN);
    if (hop == 0 || h == NULL) {
        s->cnt.ip_noroute++;
        net_pbuf_free(&s->pool, p);
        return APG_EHOSTUNREACH;
    }
    h[0] = 0x45;
    h[1] = 0;
    net_wr16(h + 2, p->len);
    net_wr16(h + 4, s->ip_id++);
    net_wr16(h + 6, 0x4000); /* DF: we never fragment, so neither may routers */
    h[8] = APOGEE_NET_IP_TTL;
    h[9] = proto;
    net_wr16(h + 10, 0);
    net_wr32(h + 12, src);
    net_wr32(h + 16, dst);
    net_wr16(h + 10, net_csum_fold(net_csum_add(0, h, IP_HLEN)));
    s->cnt.ip_tx++;
    return arp_output(s, p, hop);
}

int ip_send(struct net_stack *s, uint32_t src, uint32_t dst, uint8_t proto,
            const uint8_t *data, size_t len)
{
    return ip_send_marked(s, src, dst, proto, data, len, 0);
}

int ip_send_marked(struct net_stack *s, uint32_t src, uint32_t dst, uint8_t proto,
                   const uint8_t *data, size_t len, uint8_t csum)
{
    if (len > IP_MTU - IP_HLEN) {
        s->cnt.ip_tx_toobig++;
        return APG_EMSGSIZE;
    }
    struct net_pbuf *p = net_pbuf_alloc(&s->pool, NET_PBUF_HEADROOM);
    if (p == NULL) {
        s->cnt.nobuf++;
        return APG_ENOMEM;
    }
    memcpy(net_pbuf_put(p, len), data, len);
    p->csum = csum;
    return ip_output(s, p, src, dst, proto);
}
