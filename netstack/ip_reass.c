#include "ip_reass.h"

#include <string.h>

#include "net.h"

static int bit(const uint8_t *map, size_t i)
{
    return (map[i / 8] >> (i % 8)) & 1;
}

static void discard(struct ip_reass_slot *r)
{
    r->used = 0;
}

void ip_reass_release(struct ip_reass_slot *r)
{
    discard(r);
}

static struct ip_reass_slot *lookup(struct net_stack *s, const struct ip_hdr *h)
{
    struct ip_reass_slot *free_slot = NULL;
    for (unsigned i = 0; i < APOGEE_NET_REASS_SLOTS; i++) {
        struct ip_reass_slot *r = &s->reass.slot[i];
        if (!r->used) {
            if (free_slot == NULL) {
                free_slot = r;
            }
        } else if (r->src == h->src && r->dst == h->dst && r->id == h->id &&
                   r->proto == h->proto) {
            return r;
        }
    }
    if (free_slot == NULL) {
        s->cnt.reass_nomem++;
        return NULL;
    }
    struct ip_reass_slot *r = free_slot;
    r->used = 1;
    r->src = h->src;
    r->dst = h->dst;
    r->id = h->id;
    r->proto = h->proto;
    r->total = 0;
    r->hlen = 0;
    r->deadline = s->now_ms + APOGEE_NET_REASS_TIMEOUT_MS;
    memset(r->have, 0, sizeof(r->have));
    return r;
}

struct ip_reass_slot *ip_reass_add(struct net_stack *s, const struct ip_hdr *h,
                                   const uint8_t *payload, size_t plen)
{
    size_t off = h->frag_off;
    size_t end = off + plen;
    /* Non-last fragments carry whole 8-byte blocks; nothing may be empty. */
    if (plen == 0 || (h->more_frags && plen % 8 != 0)) {
        s->cnt.reass_bad++;
        return NULL;
    }
    struct ip_reass_slot *r = lookup(s, h);
    if (r == NULL) {
        return NULL;
    }
    if (end > APOGEE_NET_REASS_SIZE || (r->total != 0 && end > r->total) ||
        (!h->more_frags && r->total != 0 && end != r->total)) {
        s->cnt.reass_bad++;
        discard(r);
        return NULL;
    }
    /* Count the blocks this fragment covers that we already hold. */
    size_t b0 = off / 8, b1 = (end + 7) / 8, held = 0;
    for (size_t b = b0; b < b1; b++) {
        held += (size_t)bit(r->have, b);
    }
    if (held == b1 - b0 && memcmp(r->data + off, payload, plen) == 0 &&
        (h->more_frags || r->total == end)) {
        s->cnt.reass_dup++;
        return NULL;
    }
    if (held != 0) {
        s->cnt.reass_overlap++;
        discard(r);
        return NULL;
    }
    if (!h->more_frags) {
        /* The end must lie beyond every block already received. */
        for (size_t b = b1; b < APOGEE_NET_REASS_SIZE / 8; b++) {
            if (bit(r->have, b)) {
                s->cnt.reass_bad++;
                discard(r);
                return NULL;
            }
        }
        r->total = (uint16_t)end;
    }
    memcpy(r->data + off, payload, plen);
    for (size_t b = b0; b < b1; b++) {
        r->have[b / 8] = (uint8_t)(r->have[b / 8] | (1u << (b % 8)));
    }
    if (off == 0) {
        r->hlen = h->hlen;
        memcpy(r->hdr, h->raw, h->hlen);
    }
    if (r->total == 0) {
        return NULL;
    }
    for (size_t b = 0; b < ((size_t)r->total + 7) / 8; b++) {
        if (!bit(r->have, b)) {
            return NULL;
        }
    }
    return r;
}

uint32_t ip_reass_poll(struct net_stack *s)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < APOGEE_NET_REASS_SLOTS; i++) {
        struct ip_reass_slot *r = &s->reass.slot[i];
        if (!r->used) {
            continue;
        }
        if (s->now_ms >= r->deadline) {
            s->cnt.reass_timeout++;
            discard(r);
        } else if (r->deadline < next) {
            next = r->deadline;
        }
    }
    if (next == UINT64_MAX) {
        return UINT32_MAX;
    }
    uint64_t d = next - s->now_ms;
    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}
