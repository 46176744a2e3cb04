/*
 * libFuzzer harness of the receive path: the whole application stack (Ethernet,
 * ARP, IPv4 and reassembly, ICMP, UDP, TCP, the DHCP and DNS clients) fed with
 * frames from the fuzzer.
 *
 * Input: byte 0 picks the configuration (bit 0: DHCP running instead of a static
 * address; bit 1: a DNS query in flight; bit 2: a NIC with checksum offload both
 * ways, so frames reach TCP without a valid checksum and TCP sends partial ones),
 * then frames, each a 2-byte big-endian
 * length and that many bytes. The clock advances 50 ms a frame. After the input,
 * the timers run far into the future; every packet buffer must then be back in
 * the pool and every TCP slot but the listener's free, or the harness aborts (a
 * leak is a finding like a crash).
 */
#include <stdlib.h>
#include <string.h>

#include "net_api.h"

static struct net_app app;
static uint32_t seed;

static uint32_t rnd(void *ctx)
{
    (void)ctx;
    seed = seed * 1664525u + 1013904223u;
    return seed;
}

static int sink(struct net_netif *nif, struct net_pbuf *p)
{
    net_pbuf_free(nif->pool, p);
    return 0;
}

static void drain(int u)
{
    uint8_t buf[64];
    while (net_udp_recvfrom(&app, u, buf, sizeof(buf), NULL, NULL) >= 0) {
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};
    if (size < 1) {
        return 0;
    }
    seed = 1;
    net_app_init(&app, rnd, NULL);
    app.net.netif.transmit = sink;
    app.net.netif.tx_tcp_csum = (data[0] & 4) != 0;
    memcpy(app.net.netif.mac, mac, 6);
    net_link_up(&app.net, 0);
    if (data[0] & 1) {
        net_config_dhcp(&app, NULL, 0);
    } else {
        struct net_ipconfig cfg = {0x0A000002u, 0xFFFFFF00u, 0x0A000001u, 0x0A000001u};
        net_config_static(&app, &cfg);
    }
    int u = net_udp_open(&app, 7);
    int l = net_tcp_listen(&app, 7, 4);
    uint32_t addr;
    if (data[0] & 2) {
        (void)net_dns_resolve(&app, "example.com", &addr);
    }
    uint64_t now = 0;
    net_app_poll(&app, now);
    size_t off = 1;
    while (off + 2 <= size) {
        size_t n = (size_t)data[off] << 8 | data[off + 1];
        off += 2;
        if (n > size - off) {
            n = size - off;
        }
        struct net_pbuf *p = net_rx_buffer(&app.net);
        if (p == NULL) {
            abort(); /* the pool must never stay empty between frames */
        }
        if (n > APOGEE_NET_PBUF_SIZE) {
            n = APOGEE_NET_PBUF_SIZE;
        }
        memcpy(net_pbuf_put(p, n), data + off, n);
        if (data[0] & 4) {
            p->csum = NET_CSUM_RX_TCP_OK; /* what a MAC's checksum engine would vouch for */
        }
        off += n;
        now += 50;
        net_input(&app.net, p, now);
        net_app_poll(&app, now);
        drain(u);
        int c;
        while (l >= 0 && (c = net_tcp_accept(&app, l)) >= 0) {
            uint8_t buf[256];
            (void)net_tcp_recv(&app, c, buf, sizeof(buf));
            (void)net_tcp_send(&app, c, "x", 1);
            net_tcp_close(&app, c);
        }
    }
    (void)net_dns_resolve(&app, "example.com", &addr);
    for (int i = 1; i <= 10; i++) {
        net_app_poll(&app, now + (uint64_t)i * 600000u);
    }
    drain(u);
    if (app.net.pool.free_count != APOGEE_NET_PBUF_COUNT || app.net.pool.bad_free != 0) {
        abort();
    }
    /* Every connection was accepted and closed: after the timers only the listener
     * may hold a slot. */
    if (tcp_free_slots(&app.tcp) != APOGEE_TCP_SOCKETS - (l >= 0)) {
        abort();
    }
    return 0;
}
