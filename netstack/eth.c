#include "eth.h"

#include <string.h>

#include "apogee/err.h"
#include "net.h"
#include "net_bytes.h"

const uint8_t eth_broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

int eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h)
{
    if (len < ETH_HLEN) {
        return APG_EBADMSG;
    }
    memcpy(h->dst, frame, 6);
    memcpy(h->src, frame + 6, 6);
    h->type = net_rd16(frame + 12);
    return h->type < 0x0600u ? APG_EBADMSG : ETH_HLEN;
}

int eth_output(struct net_stack *s, struct net_pbuf *p, const uint8_t dst[6], uint16_t type)
{
    uint8_t *h = net_pbuf_push(p, ETH_HLEN);
    if (h == NULL) {
        net_pbuf_free(&s->pool, p);
        s->cnt.tx_err++;
        return APG_EMSGSIZE;
    }
    memcpy(h, dst, 6);
    memcpy(h + 6, s->netif.mac, 6);
    net_wr16(h + 12, type);
    return net_transmit(s, p);
}

void eth_input(struct net_stack *s, struct net_pbuf **pp)
{
    struct net_pbuf *p = *pp;
    const uint8_t *f = net_pbuf_data(p);
    struct eth_hdr h;
    if (eth_parse(f, p->len, &h) < 0) {
        s->cnt.eth_drop++;
        return;
    }
    /* Ours, broadcast, or (for nobody else on a TAP) nothing else: multicast and
     * frames for other stations are dropped. */
    if (memcmp(h.dst, s->netif.mac, 6) != 0 && memcmp(h.dst, eth_broadcast, 6) != 0) {
        s->cnt.eth_drop++;
        return;
    }
    if (h.type == ETH_TYPE_ARP) {
        arp_input(s, f + ETH_HLEN, p->len - ETH_HLEN);
    } else if (h.type == ETH_TYPE_IPV4) {
        ip_input(s, pp, f + ETH_HLEN, p->len - ETH_HLEN);
    } else {
        s->cnt.eth_drop++;
    }
}
