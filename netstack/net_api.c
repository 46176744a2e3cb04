#include "net_api.h"

#include <string.h>

#include "apogee/err.h"

static uint32_t rnd(struct net_app *a)
{
    return a->net.random32(a->net.random_ctx);
}

/* ---- TCP <-> IPv4 glue --------------------------------------------------------- */

static int tcp_out(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    struct net_app *a = ctx;
    a->net.cnt.tcp_tx++;
    /* The core filled in the checksum, or left it partial for the driver. */
    uint8_t csum = a->tcp.tx_csum_partial ? NET_CSUM_TX_TCP_PARTIAL : 0;
    return ip_send_marked(&a->net, src, dst, IP_PROTO_TCP, seg, len, csum);
}

static void tcp_in(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len,
                   bool csum_ok, uint64_t now_ms)
{
    struct net_app *a = ctx;
    if (csum_ok) {
        tcp_input_csum_ok(&a->tcp, src, dst, seg, len, now_ms);
    } else {
        tcp_input(&a->tcp, src, dst, seg, len, now_ms);
    }
}

/* DHCP (port 68) and DNS (the ports of running queries) see UDP first. */
static int udp_hook(void *ctx, const struct ip_hdr *h, uint16_t sport, uint16_t dport,
                    const uint8_t *data, size_t len)
{
    struct net_app *a = ctx;
    if (dport == DHCP_CLIENT_PORT) {
        if (sport == DHCP_SERVER_PORT && a->dhcp.state != DHCP_STOPPED) {
            (void)dhcp_input(&a->dhcp, data, len, a->net.now_ms);
        }
        return 1;
    }
    return dns_input(&a->dns, h->src, sport, dport, data, len, a->net.now_ms);
}

void net_app_init(struct net_app *a, uint32_t (*random32)(void *ctx), void *ctx)
{
    memset(a, 0, sizeof(*a));
    net_init(&a->net, random32, ctx);
    a->net.tcp_input = tcp_in;
    a->net.udp_hook = udp_hook;
    a->net.upper_ctx = a;
    tcp_init(&a->tcp, tcp_out, a, random32, ctx, 0);
}

static void apply(struct net_app *a, const struct net_ipconfig *cfg)
{
    a->cfg = *cfg;
    net_set_addr(&a->net, cfg->addr, cfg->addr ? cfg->mask : 0, cfg->router);
    tcp_set_local_ip(&a->tcp, cfg->addr);
    if (a->dns.server != cfg->dns) {
        dns_init(&a->dns, cfg->dns); /* a renewal with the same server keeps the cache */
    }
}

void net_config_static(struct net_app *a, const struct net_ipconfig *cfg)
{
    a->dhcp.state = DHCP_STOPPED;
    apply(a, cfg);
}

void net_config_dhcp(struct net_app *a, const struct net_ipconfig *fallback, uint32_t fallback_ms)
{
    static const struct net_ipconfig none;
    apply(a, &none);
    dhcp_init(&a->dhcp, a->net.netif.mac, fallback, fallback ? fallback_ms : 0);
    dhcp_start(&a->dhcp, a->net.now_ms, rnd(a));
}

int net_config_get(const struct net_app *a, struct net_ipconfig *cfg)
{
    *cfg = a->cfg;
    return a->cfg.addr ? APG_OK : APG_EAGAIN;
}

static uint32_t min32(uint32_t x, uint32_t y)
{
    return x < y ? x : y;
}

uint32_t net_app_poll(struct net_app *a, uint64_t now_ms)
{
    /* A driver announces checksum completion when it opens, after net_app_init. */
    tcp_set_tx_csum_offload(&a->tcp, a->net.netif.tx_tcp_csum);
    uint32_t wait = net_poll(&a->net, now_ms);
    if (a->dhcp.state != DHCP_STOPPED) {
        uint32_t src, dst;
        int n = dhcp_poll(&a->dhcp, now_ms, rnd(a), a->scratch, sizeof(a->scratch), &src, &dst);
        if (n > 0) {
            (void)udp_send(&a->net, src == 0 ? 0 : src, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT,
                           a->scratch, (size_t)n);
        }
        uint32_t probe = dhcp_probe(&a->dhcp);
        if (probe != 0) {
            a->net.arp_watch = probe;
            a->net.arp_conflict = 0;
            arp_probe(&a->net, probe);
        }
        if (a->dhcp.state == DHCP_CHECKING && a->net.arp_conflict) {
            dhcp_conflict(&a->dhcp, now_ms);
        }
        if (a->dhcp.state != DHCP_CHECKING) {
            a->net.arp_watch = 0;
        }
        switch (dhcp_event(&a->dhcp)) {
        case DHCP_EV_BOUND:
        case DHCP_EV_FALLBACK:
            apply(a, &a->dhcp.cfg);
            break;
        case DHCP_EV_LOST: {
            static const struct net_ipconfig none;
            apply(a, &none);
            break;
        }
        default:
            break;
        }
        if (a->dhcp.state == DHCP_FALLBACK) {
            a->dhcp.state = DHCP_STOPPED;
        }
        wait = min32(wait, dhcp_timeout(&a->dhcp, now_ms));
    }
    uint16_t sport;
    int n;
    while ((n = dns_poll(&a->dns, now_ms, a->scratch, sizeof(a->scratch), &sport)) > 0) {
        (void)udp_send(&a->net, 0, sport, a->dns.server, DNS_PORT, a->scratch, (size_t)n);
    }
    wait = min32(wait, dns_timeout(&a->dns, now_ms));
    return min32(wait, tcp_poll(&a->tcp, now_ms));
}

/* ---- UDP --------------------------------------------------------------------- */

static struct udp_sock *usock(struct net_app *a, int h)
{
    if (h < 0 || h >= APOGEE_NET_UDP_SOCKETS || a->net.udp.sock[h].port == 0) {
        return NULL;
    }
    return &a->net.udp.sock[h];
}

int net_udp_open(struct net_app *a, uint16_t port)
{
    struct udp_table *t = &a->net.udp;
    for (int tries = 0; port == 0 && tries < 16; tries++) {
        uint16_t p = (uint16_t)(49152u + (rnd(a) & 0x3FFFu));
        port = p;
        for (unsigned i = 0; i < APOGEE_NET_UDP_SOCKETS; i++) {
            if (t->sock[i].port == p) {
                port = 0;
            }
        }
    }
    int free_h = APG_ENOMEM;
    for (int i = APOGEE_NET_UDP_SOCKETS - 1; i >= 0; i--) {
        if (t->sock[i].port == port) {
            return APG_EADDRINUSE;
        }
        if (t->sock[i].port == 0) {
            free_h = i;
        }
    }
    if (port == 0) {
        return APG_EADDRINUSE;
    }
    if (free_h >= 0) {
        memset(&t->sock[free_h], 0, sizeof(t->sock[free_h]));
        t->sock[free_h].port = port;
    }
    return free_h;
}

int net_udp_sendto(struct net_app *a, int h, uint32_t dst, uint16_t dport, const void *data,
                   size_t len)
{
    struct udp_sock *k = usock(a, h);
    if (k == NULL || dport == 0) {
        return APG_EINVAL;
    }
    return udp_send(&a->net, 0, k->port, dst, dport, data, len);
}

int net_udp_recvfrom(struct net_app *a, int h, void *buf, size_t cap, uint32_t *src,
                     uint16_t *sport)
{
    struct udp_sock *k = usock(a, h);
    if (k == NULL) {
        return APG_EINVAL;
    }
    if (k->count == 0) {
        return APG_EAGAIN;
    }
    struct net_pbuf *b = k->q[k->head];
    k->q[k->head] = NULL;
    k->head = (uint8_t)((k->head + 1) % APOGEE_NET_UDP_RXQ);
    k->count--;
    int n = b->len;
    memcpy(buf, net_pbuf_data(b), (size_t)n < cap ? (size_t)n : cap);
    if (src != NULL) {
        *src = b->meta_ip;
    }
    if (sport != NULL) {
        *sport = b->meta_port;
    }
    net_pbuf_free(&a->net.pool, b);
    return n;
}

int net_udp_ready(const struct net_app *a, int h)
{
    if (h < 0 || h >= APOGEE_NET_UDP_SOCKETS || a->net.udp.sock[h].port == 0) {
        return APG_EINVAL;
    }
    return (a->net.udp.sock[h].count ? NET_READABLE : 0) |
           (a->net.pool.free_count ? NET_WRITABLE : 0);
}

int net_udp_close(struct net_app *a, int h)
{
    struct udp_sock *k = usock(a, h);
    if (k == NULL) {
        return APG_EINVAL;
    }
    while (k->count) {
        net_pbuf_free(&a->net.pool, k->q[k->head]);
        k->head = (uint8_t)((k->head + 1) % APOGEE_NET_UDP_RXQ);
        k->count--;
    }
    memset(k, 0, sizeof(*k));
    return APG_OK;
}

int net_udp_port(const struct net_app *a, int h)
{
    if (h < 0 || h >= APOGEE_NET_UDP_SOCKETS || a->net.udp.sock[h].port == 0) {
        return APG_EINVAL;
    }
    return a->net.udp.sock[h].port;
}

/* ---- TCP --------------------------------------------------------------------- */

int net_tcp_listen(struct net_app *a, uint16_t port, int backlog)
{
    return tcp_listen(&a->tcp, port, backlog);
}

int net_tcp_accept(struct net_app *a, int lh)
{
    return tcp_accept(&a->tcp, lh);
}

int net_tcp_connect(struct net_app *a, uint32_t dst, uint16_t dport)
{
    return tcp_connect(&a->tcp, dst, dport);
}

int net_tcp_send(struct net_app *a, int h, const void *data, size_t len)
{
    return tcp_send(&a->tcp, h, data, len);
}

int net_tcp_recv(struct net_app *a, int h, void *buf, size_t cap)
{
    return tcp_recv(&a->tcp, h, buf, cap);
}

int net_tcp_shutdown(struct net_app *a, int h)
{
    return tcp_shutdown(&a->tcp, h);
}

int net_tcp_close(struct net_app *a, int h)
{
    return tcp_close(&a->tcp, h);
}

int net_tcp_ready(const struct net_app *a, int h)
{
    int r = tcp_ready(&a->tcp, h);
    if (r < 0) {
        return r;
    }
    return ((r & TCP_READABLE) ? NET_READABLE : 0) | ((r & TCP_WRITABLE) ? NET_WRITABLE : 0) |
           ((r & TCP_CONNECTED) ? NET_CONNECTED : 0) | ((r & TCP_CLOSED_BIT) ? NET_CLOSED : 0);
}

size_t net_tcp_send_space(const struct net_app *a, int h)
{
    return tcp_send_space(&a->tcp, h);
}

/* ---- DNS --------------------------------------------------------------------- */

int net_dns_resolve(struct net_app *a, const char *name, uint32_t *addr)
{
    return dns_resolve(&a->dns, name, a->net.now_ms, rnd(a), addr);
}
