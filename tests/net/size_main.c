/*
 * What an application linking the whole stack calls: the entry point for the
 * flash-size measurement (tests/bench/bench_net.py links it with --gc-sections,
 * so only code reachable from here is counted).
 */
#include "net_api.h"

static struct net_app app;
static uint32_t rnd(void *ctx) { (void)ctx; return 4; }
static int tx(struct net_netif *nif, struct net_pbuf *p) { net_pbuf_free(nif->pool, p); return 0; }

int size_entry(void);
int size_entry(void)
{
    static uint8_t buf[64];
    uint32_t addr;
    net_app_init(&app, rnd, 0);
    app.net.netif.transmit = tx;
    net_link_up(&app.net, 0);
    net_config_dhcp(&app, 0, 0);
    struct net_pbuf *p = net_rx_buffer(&app.net);
    if (p != 0) {
        net_input(&app.net, p, 1);
    }
    int u = net_udp_open(&app, 7);
    net_udp_sendto(&app, u, 1, 7, buf, sizeof(buf));
    net_udp_recvfrom(&app, u, buf, sizeof(buf), 0, 0);
    net_udp_ready(&app, u);
    int l = net_tcp_listen(&app, 7, 4);
    int c = net_tcp_accept(&app, l);
    int d = net_tcp_connect(&app, 1, 80);
    net_tcp_send(&app, c, buf, sizeof(buf));
    net_tcp_recv(&app, d, buf, sizeof(buf));
    net_tcp_shutdown(&app, d);
    net_tcp_ready(&app, d);
    net_tcp_close(&app, c);
    net_dns_resolve(&app, "example.com", &addr);
    net_udp_close(&app, u);
    return (int)net_app_poll(&app, 2);
}
