/*
 * Runs the stack's parsers on inputs read from stdin, for property tests under
 * ASan/UBSan. Each record: 1 byte parser id, 4 bytes little-endian length, the
 * bytes. Each answer: one line with the parser's return value. Parser ids:
 *   e Ethernet, a ARP, i IPv4, u UDP (addresses 10.0.0.1 -> 10.0.0.2),
 *   h DHCP, d DNS response, s the whole stack (one frame through net_input).
 * Inputs are copied into exactly-sized heap buffers so any over-read is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apogee/err.h"
#include "arp.h"
#include "eth.h"
#include "ipv4.h"
#include "net.h"
#include "udp.h"
#ifdef WITH_APPS
#include "dhcp.h"
#include "dns.h"
#endif

static struct net_stack st;
static uint32_t seed = 1;
static uint32_t rnd(void *c) { (void)c; seed = seed * 1664525u + 1013904223u; return seed; }
static int tx(struct net_netif *nif, struct net_pbuf *p) { net_pbuf_free(nif->pool, p); return 0; }

int main(void)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};
    net_init(&st, rnd, NULL);
    st.netif.transmit = tx;
    memcpy(st.netif.mac, mac, 6);
    net_set_addr(&st, 0x0A000002u, 0xFFFFFF00u, 0x0A0000FEu);
    net_link_up(&st, 0);
    st.udp.sock[0].port = 7;
    uint64_t now = 0;
    int kind;
    while ((kind = getchar()) != EOF) {
        unsigned char l[4];
        if (fread(l, 1, 4, stdin) != 4) {
            return 2;
        }
        size_t n = l[0] | (l[1] << 8) | (l[2] << 16) | ((size_t)l[3] << 24);
        uint8_t *b = malloc(n ? n : 1);
        if (fread(b, 1, n, stdin) != n) {
            return 2;
        }
        int rc = 0;
        switch (kind) {
        case 'e': { struct eth_hdr h; rc = eth_parse(b, n, &h); break; }
        case 'a': { struct arp_msg m; rc = arp_parse(b, n, &m); break; }
        case 'i': { struct ip_hdr h; rc = ip_parse(b, n, &h); break; }
        case 'u': { struct udp_hdr h; rc = udp_parse(0x0A000001u, 0x0A000002u, b, n, &h); break; }
#ifdef WITH_APPS
        case 'h': { struct dhcp_msg m; rc = dhcp_parse(b, n, &m); break; }
        case 'd': { uint32_t a, ttl; rc = dns_parse_a(b, n, 0x1234, "example.com", &a, &ttl); break; }
#endif
        case 's': {
            struct net_pbuf *p = net_rx_buffer(&st);
            if (p != NULL && n <= APOGEE_NET_PBUF_SIZE) {
                memcpy(net_pbuf_put(p, n), b, n);
                net_input(&st, p, now);
            } else {
                net_pbuf_free(&st.pool, p);
            }
            now += 100;
            net_poll(&st, now);
            /* Drain UDP queues so the pool stays usable. */
            struct udp_sock *k = &st.udp.sock[0];
            while (k->count) {
                net_pbuf_free(&st.pool, k->q[k->head]);
                k->head = (uint8_t)((k->head + 1) % APOGEE_NET_UDP_RXQ);
                k->count--;
            }
            rc = st.pool.free_count;
            break;
        }
        default:
            return 3;
        }
        free(b);
        printf("%d\n", rc);
        fflush(stdout);
    }
    for (int i = 1; i <= 8; i++) {
        net_poll(&st, now + (uint64_t)i * 3600000u); /* retries run out, slots expire */
    }
    printf("free %d bad %d\n", st.pool.free_count, (int)st.pool.bad_free);
    return 0;
}
