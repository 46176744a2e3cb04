/*
 * net_api.h - the application's network API: one struct, non-blocking calls.
 *
 * An application (or TLS above it) holds one struct net_app in static storage:
 *
 *     static struct net_app net;
 *     net_app_init(&net, net_random32, NULL);       // the board's entropy
 *     <driver>_attach(&net.net);                    // sets netif, calls net_link_up
 *     net_config_dhcp(&net, &fallback, 30000);      // or net_config_static(...)
 *     for (;;) {
 *         <driver>_receive(...)                     // frames -> net_input()
 *         uint32_t wait = net_app_poll(&net, now_ms);
 *         ... socket calls, each returns at once ...
 *         <sleep or wait for a frame, at most `wait` ms>
 *     }
 *
 * Nothing blocks and nothing allocates: every call returns a result or APG_EAGAIN
 * ("not now, try after the next poll"); net_*_ready tells which calls would
 * succeed. Errors are the negative codes of apogee/err.h. Addresses and ports are
 * host order (10.0.0.2 is 0x0A000002).
 *
 * Read TCP data in large chunks: each receive that frees an MSS or more of the
 * window makes TCP announce it, one segment on the wire per call.
 *
 * Sizes (all static, set by the app description through these macros):
 *   APOGEE_NET_PBUF_COUNT/SIZE (net_pbuf.h)   packet buffers
 *   APOGEE_NET_UDP_SOCKETS, APOGEE_NET_UDP_RXQ (udp.h)
 *   APOGEE_TCP_SOCKETS, _SNDBUF, _RCVBUF, _BACKLOG (tcp/tcp.h)
 *   APOGEE_NET_ARP_*, APOGEE_NET_REASS_*, APOGEE_NET_DNS_* (arp.h, ip_reass.h, dns.h)
 */
#ifndef NET_API_H
#define NET_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"
#include "dns.h"
#include "net.h"
#include "tcp/tcp.h"

/* Readiness bits (net_udp_ready, net_tcp_ready). */
#define NET_READABLE 0x01  /* a receive (or accept) would not return APG_EAGAIN */
#define NET_WRITABLE 0x02  /* a send would take at least one byte */
#define NET_CONNECTED 0x04 /* TCP: the handshake completed */
#define NET_CLOSED 0x08    /* TCP: the connection is over (read the error, close) */

struct net_app {
    struct net_stack net;
    struct tcp_stack tcp;
    struct dhcp_client dhcp;
    struct dns_resolver dns;
    struct net_ipconfig cfg;   /* current configuration (zero until configured) */
    uint8_t udp_ephemeral_next;
    uint8_t scratch[DHCP_MSG_MAX]; /* one outgoing DHCP or DNS message at a time */
};

/* ---- Set-up ---------------------------------------------------------------- */

/* Empty stack; random32(ctx) must be a real entropy source (ISNs, DNS IDs and
 * ports, DHCP transaction IDs depend on it). */
void net_app_init(struct net_app *a, uint32_t (*random32)(void *ctx), void *ctx);

/* Use a fixed configuration (mask, router, dns may be 0). Stops DHCP. */
void net_config_static(struct net_app *a, const struct net_ipconfig *cfg);

/* Get the configuration by DHCP; if none within fallback_ms use *fallback
 * (fallback NULL: keep trying forever). */
void net_config_dhcp(struct net_app *a, const struct net_ipconfig *fallback, uint32_t fallback_ms);

/* APG_OK and *cfg when an address is configured (static, DHCP or fallback), else
 * APG_EAGAIN. */
int net_config_get(const struct net_app *a, struct net_ipconfig *cfg);

/* Run every timer (ARP, reassembly, TCP, DHCP, DNS) and send what they produce.
 * Returns the ms until it next needs to run. Call it every loop turn. */
uint32_t net_app_poll(struct net_app *a, uint64_t now_ms);

/* ---- UDP ------------------------------------------------------------------- */

/* A socket bound to port (0: a random ephemeral port). Returns its handle (>= 0),
 * APG_EADDRINUSE, or APG_ENOMEM when all APOGEE_NET_UDP_SOCKETS are in use. */
int net_udp_open(struct net_app *a, uint16_t port);

/* Send one datagram (len <= 1472 bytes, copied) to dst:dport. APG_OK, or
 * APG_EMSGSIZE, APG_ENOMEM (no buffer: try later), APG_EHOSTUNREACH (no address
 * or route), APG_EINVAL (bad handle). A first datagram to an unresolved
 * neighbour waits for ARP in the stack (not an error). */
int net_udp_sendto(struct net_app *a, int h, uint32_t dst, uint16_t dport, const void *data,
                   size_t len);

/* Take the oldest queued datagram: copies min(len, cap) bytes to buf, fills *src
 * and *sport (either may be NULL) and returns the datagram's full length (larger
 * than cap means it was truncated). APG_EAGAIN when none is queued. */
int net_udp_recvfrom(struct net_app *a, int h, void *buf, size_t cap, uint32_t *src,
                     uint16_t *sport);

/* NET_READABLE when a datagram is queued, NET_WRITABLE when a buffer is free. */
int net_udp_ready(const struct net_app *a, int h);

/* Close, dropping queued datagrams. */
int net_udp_close(struct net_app *a, int h);

/* The local port of a socket, or APG_EINVAL. */
int net_udp_port(const struct net_app *a, int h);

/* ---- TCP ------------------------------------------------------------------- */
/* Handles are TCP socket descriptors; each call has the contract of the tcp_*
 * call it wraps in tcp/tcp.h (listen, accept, connect, send, recv, shutdown,
 * close). net_tcp_ready maps TCP_* readiness to NET_* bits. */
int net_tcp_listen(struct net_app *a, uint16_t port, int backlog);
int net_tcp_accept(struct net_app *a, int lh);
int net_tcp_connect(struct net_app *a, uint32_t dst, uint16_t dport);
int net_tcp_send(struct net_app *a, int h, const void *data, size_t len);
int net_tcp_recv(struct net_app *a, int h, void *buf, size_t cap);
int net_tcp_shutdown(struct net_app *a, int h);
int net_tcp_close(struct net_app *a, int h);
int net_tcp_ready(const struct net_app *a, int h);
/* Bytes net_tcp_send would take now (0 if not connected). */
size_t net_tcp_send_space(const struct net_app *a, int h);

/* ---- DNS ------------------------------------------------------------------- */

/* Resolve name to an IPv4 address; see dns_resolve in dns.h. Call again while it
 * returns APG_EAGAIN. The server is the configured one (DHCP option 6 or static). */
int net_dns_resolve(struct net_app *a, const char *name, uint32_t *addr);

#endif /* NET_API_H */
