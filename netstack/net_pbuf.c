#include "net_pbuf.h"

#define NO_BUF 0xFFu

void net_pool_init(struct net_pool *pool)
{
    for (unsigned i = 0; i < APOGEE_NET_PBUF_COUNT; i++) {
        pool->buf[i].in_use = 0;
        pool->buf[i].next = (uint8_t)(i + 1 < APOGEE_NET_PBUF_COUNT ? i + 1 : NO_BUF);
    }
    pool->free_head = 0;
    pool->free_count = APOGEE_NET_PBUF_COUNT;
    pool->min_free = APOGEE_NET_PBUF_COUNT;
    pool->exhausted = 0;
    pool->bad_free = 0;
}

struct net_pbuf *net_pbuf_alloc(struct net_pool *pool, uint16_t headroom)
{
    if (pool->free_head == NO_BUF || headroom > APOGEE_NET_PBUF_SIZE) {
        pool->exhausted++;
        return NULL;
    }
    struct net_pbuf *p = &pool->buf[pool->free_head];
    pool->free_head = p->next;
    pool->free_count--;
    if (pool->free_count < pool->min_free) {
        pool->min_free = pool->free_count;
    }
    p->in_use = 1;
    p->off = headroom;
    p->len = 0;
    p->meta_ip = 0;
    p->meta_port = 0;
    p->csum = 0;
    return p;
}

void net_pbuf_free(struct net_pool *pool, struct net_pbuf *p)
{
    if (p == NULL) {
        return;
    }
    size_t idx = (size_t)(p - pool->buf);
    if (idx >= APOGEE_NET_PBUF_COUNT || &pool->buf[idx] != p || !p->in_use) {
        pool->bad_free++;
        return;
    }
    p->in_use = 0;
    p->next = pool->free_head;
    pool->free_head = (uint8_t)idx;
    pool->free_count++;
}

uint8_t *net_pbuf_push(struct net_pbuf *p, size_t n)
{
    if (n > p->off) {
        return NULL;
    }
    p->off = (uint16_t)(p->off - n);
    p->len = (uint16_t)(p->len + n);
    return p->data + p->off;
}

uint8_t *net_pbuf_pull(struct net_pbuf *p, size_t n)
{
    if (n > p->len) {
        return NULL;
    }
    p->off = (uint16_t)(p->off + n);
    p->len = (uint16_t)(p->len - n);
    return p->data + p->off;
}

uint8_t *net_pbuf_put(struct net_pbuf *p, size_t n)
{
    if (n > net_pbuf_tailroom(p)) {
        return NULL;
    }
    uint8_t *t = p->data + p->off + p->len;
    p->len = (uint16_t)(p->len + n);
    return t;
}
