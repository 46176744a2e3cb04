/*
 * Test shim: one net_stack whose netif captures transmitted frames, driven from
 * Python through cffi (tests/net/netlib.py). Random numbers are a fixed LCG so
 * runs repeat.
 */
#include <string.h>

#include "apogee/err.h"
#include "net.h"

#define CAP_MAX 64

static struct net_stack st;
static uint8_t cap[CAP_MAX][APOGEE_NET_PBUF_SIZE];
static size_t cap_len[CAP_MAX];
static unsigned cap_n;
static uint32_t lcg = 12345;

static uint32_t rnd(void *ctx)
{
    (void)ctx;
    lcg = lcg * 1103515245u + 12345u;
    return lcg;
}

static int capture(struct net_netif *nif, struct net_pbuf *p)
{
    if (cap_n < CAP_MAX) {
        memcpy(cap[cap_n], net_pbuf_data(p), p->len);
        cap_len[cap_n++] = p->len;
    }
    net_pbuf_free(nif->pool, p);
    return APG_OK;
}

void shim_init(const uint8_t mac[6], uint32_t addr, uint32_t mask, uint32_t gw, uint64_t now)
{
    net_init(&st, rnd, NULL);
    st.netif.transmit = capture;
    memcpy(st.netif.mac, mac, 6);
    cap_n = 0;
    net_set_addr(&st, addr, mask, gw);
    net_link_up(&st, now);
}

int shim_input(const uint8_t *frame, size_t len, uint64_t now)
{
    struct net_pbuf *p = net_rx_buffer(&st);
    if (p == NULL) {
        return APG_ENOMEM;
    }
    if (len > APOGEE_NET_PBUF_SIZE) {
        len = APOGEE_NET_PBUF_SIZE;
    }
    memcpy(net_pbuf_put(p, len), frame, len);
    net_input(&st, p, now);
    return APG_OK;
}

uint32_t shim_poll(uint64_t now) { return net_poll(&st, now); }
unsigned shim_tx_count(void) { return cap_n; }
void shim_tx_clear(void) { cap_n = 0; }
size_t shim_tx_get(unsigned i, uint8_t *out)
{
    if (i >= cap_n) {
        return 0;
    }
    memcpy(out, cap[i], cap_len[i]);
    return cap_len[i];
}
unsigned shim_pool_free(void) { return st.pool.free_count; }
unsigned shim_pool_bad_free(void) { return st.pool.bad_free; }

/* Counter by name, or -1 if there is no such counter. */
long shim_counter(const char *name)
{
#define X(n) if (strcmp(name, #n) == 0) return (long)st.cnt.n;
    NET_COUNTERS(X)
#undef X
    return -1;
}

int shim_udp_bind(unsigned idx, uint16_t port)
{
    if (idx >= APOGEE_NET_UDP_SOCKETS) return APG_EINVAL;
    st.udp.sock[idx].port = port;
    return APG_OK;
}

int shim_udp_recv(unsigned idx, uint8_t *out, uint32_t *src, uint16_t *sport)
{
    struct udp_sock *k = &st.udp.sock[idx];
    if (k->count == 0) return APG_EAGAIN;
    struct net_pbuf *b = k->q[k->head];
    k->head = (uint8_t)((k->head + 1) % APOGEE_NET_UDP_RXQ);
    k->count--;
    memcpy(out, net_pbuf_data(b), b->len);
    *src = b->meta_ip;
    *sport = b->meta_port;
    int n = b->len;
    net_pbuf_free(&st.pool, b);
    return n;
}

int shim_udp_send(uint16_t sport, uint32_t dst, uint16_t dport, const uint8_t *d, size_t n)
{
    return udp_send(&st, 0, sport, dst, dport, d, n);
}

int shim_ip_send(uint32_t dst, uint8_t proto, const uint8_t *d, size_t n)
{
    return ip_send(&st, 0, dst, proto, d, n);
}
