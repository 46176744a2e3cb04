/*
 * net.h - the stack's core: one struct net_stack holding every layer's state,
 * the driver-facing entry points, and the drop counters.
 *
 * The application allocates one struct net_stack (static storage), calls
 * net_init, fills in the netif (transmit function, MAC), then runs one loop:
 *     frames from the driver -> net_input()
 *     net_poll() at least as often as it asks
 * Everything is run to completion on the caller's thread; nothing here blocks or
 * allocates. Applications normally use net_api.h, which wraps this core with
 * UDP/TCP sockets, DHCP and DNS.
 *
 * Addresses are host-order uint32_t everywhere in the API (10.0.0.2 is 0x0A000002).
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arp.h"
#include "icmp.h"
#include "ip_reass.h"
#include "ipv4.h"
#include "net_pbuf.h"
#include "netif.h"
#include "udp.h"

/* Every event that loses or refuses a packet has a counter; the names are the
 * contract the stats output and the tests use. */
#define NET_COUNTERS(X) \
    X(rx_frames) X(tx_frames) X(tx_err) X(eth_drop) \
    X(arp_rx) X(arp_bad) X(arp_reply_sent) X(arp_req_sent) X(arp_q_full) X(arp_timeout) \
    X(ip_rx) X(ip_bad) X(ip_not_ours) X(ip_proto) X(ip_tx) X(ip_tx_toobig) X(ip_noroute) \
    X(frag_rx) X(reass_ok) X(reass_overlap) X(reass_dup) X(reass_bad) X(reass_nomem) \
    X(reass_timeout) \
    X(icmp_rx) X(icmp_bad) X(icmp_echo) X(icmp_unreach_sent) X(icmp_ratelimited) \
    X(udp_rx) X(udp_bad) X(udp_noport) X(udp_q_full) X(udp_tx) \
    X(tcp_rx) X(tcp_tx) X(nobuf)

struct net_counters {
#define NET_COUNTER_FIELD(name) uint32_t name;
    NET_COUNTERS(NET_COUNTER_FIELD)
#undef NET_COUNTER_FIELD
};

struct ip_hdr;

/* Upper layers that live outside the core plug in here (net_api.c does it):
 * TCP gets whole segments for protocol 6; the UDP hook sees datagrams before the
 * socket table (DHCP and DNS clients use it) and returns 1 if it consumed one. */
typedef void (*net_tcp_input_fn)(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg,
                                 size_t len, bool csum_ok, uint64_t now_ms);
typedef int (*net_udp_hook_fn)(void *ctx, const struct ip_hdr *h, uint16_t sport,
                               uint16_t dport, const uint8_t *data, size_t len);

struct net_stack {
    struct net_pool pool;
    struct net_netif netif;
    uint32_t addr, mask, gateway; /* 0 until configured (static or DHCP) */
    uint64_t now_ms;              /* the clock as last given to net_input/net_poll */
    uint16_t ip_id;
    uint32_t arp_watch;    /* an address being probed (DHCP's check), or 0 */
    uint8_t arp_conflict;  /* set when an ARP packet shows arp_watch is in use */
    struct arp_table arp;
    struct ip_reass reass;
    struct icmp_state icmp;
    struct udp_table udp;
    struct net_counters cnt;
    uint32_t (*random32)(void *ctx); /* for IP IDs, ports, ISNs, DNS and DHCP IDs */
    void *random_ctx;
    net_tcp_input_fn tcp_input;
    net_udp_hook_fn udp_hook;
    void *upper_ctx;
};

/* Initialise everything to empty; random32 must give unpredictable values (the
 * board's net_random32 on native). The netif's transmit, driver and mac are set
 * by the caller afterwards. */
void net_init(struct net_stack *s, uint32_t (*random32)(void *ctx), void *random_ctx);

/* Set the address, netmask and default gateway (0 for none); 0 addr unconfigures.
 * Announces the new address with a gratuitous ARP when the link is up. */
void net_set_addr(struct net_stack *s, uint32_t addr, uint32_t mask, uint32_t gateway);

/* The driver reports the link up (sends a gratuitous ARP) or down. */
void net_link_up(struct net_stack *s, uint64_t now_ms);
void net_link_down(struct net_stack *s);

/* An empty buffer for the driver to receive one frame into (headroom 0, len 0),
 * or NULL when the pool is empty (counted in pool.exhausted). */
struct net_pbuf *net_rx_buffer(struct net_stack *s);

/* Process one received frame (data[off..off+len)). Takes p. */
void net_input(struct net_stack *s, struct net_pbuf *p, uint64_t now_ms);

/* Run the timers (ARP, reassembly); returns ms until the next call is needed. */
uint32_t net_poll(struct net_stack *s, uint64_t now_ms);

/* Transmit a finished frame through the netif. Takes p. Counts tx_frames/tx_err. */
int net_transmit(struct net_stack *s, struct net_pbuf *p);

/* Next hop for dst: dst itself when on-link or broadcast, else the gateway; 0 if
 * there is no route. */
uint32_t net_nexthop(const struct net_stack *s, uint32_t dst);

#endif /* NET_NET_H */
