/*
 * apogee/netdev.h - the board's network interface, as an application drives it.
 *
 * Every board with a network links one implementation, chosen by its description
 * (boards/<name>.py, network=...): the LAN9118 on mps2 (hal/smsc/lan9118/), the
 * TAP or libslirp backend on native (hal/native/net_dev.c). An app written
 * against these calls builds unchanged for each of them:
 *
 *     static struct net_app net;
 *     net_app_init(&net, random32, NULL);
 *     if (hal_net_open(&net.net, now_ms()) != APG_OK) ...   // netif, MAC, link
 *     for (;;) {
 *         hal_net_receive(&net.net, now_ms());              // frames -> net_input
 *         ... sockets ...
 *         uint32_t wait = net_app_poll(&net, now_ms());
 *         uint32_t ready = hal_net_wait(wait);               // sleep until something
 *         if (ready & HAL_NET_CONSOLE) ... hal_console_getc() ...
 *     }
 *
 * One interface per image: the implementation keeps its state in static storage
 * and serves the one struct net_stack given to hal_net_open. Nothing here
 * allocates; receive and wait never block longer than their contract says.
 */
#ifndef APOGEE_NETDEV_H
#define APOGEE_NETDEV_H

#include <stdint.h>

struct net_stack;

/* hal_net_wait's result bits. */
#define HAL_NET_FRAME 1u   /* a frame (or the backend's own I/O) waits: call hal_net_receive */
#define HAL_NET_CONSOLE 2u /* the console may have input: read it with hal_console_getc */

/*
 * Find and reset the interface, attach it to s (s->netif's transmit, driver and
 * MAC, which the caller must not set itself) and report the link up through
 * net_link_up once the hardware has one. Call after net_init / net_app_init.
 * Returns APG_OK, or (the reason printed on boards that have stderr):
 *   APG_EIO      no interface answers, or it failed to reset;
 *   APG_ENOTSUP  the interface the options ask for is not built in (native
 *                --net=slirp without libslirp);
 *   APG_EINVAL   an option is malformed (native --hostfwd).
 */
int hal_net_open(struct net_stack *s, uint64_t now_ms);

/*
 * Hand every frame waiting in the interface to net_input (bounded per call so
 * the main loop keeps turning under load), and follow the link state. A frame
 * with a receive error, or larger than a pool buffer, is dropped and counted
 * (hal_net_counters); when the pool is empty, frames stay in the interface
 * where it can hold them.
 */
void hal_net_receive(struct net_stack *s, uint64_t now_ms);

/*
 * Wait at most timeout_ms for a frame or console input. Returns HAL_NET_FRAME
 * and/or HAL_NET_CONSOLE for what may be ready, 0 on timeout. Boards that cannot
 * tell whether the console has input (a polled UART) always set HAL_NET_CONSOLE:
 * hal_console_getc never blocks, so reading it costs nothing.
 */
uint32_t hal_net_wait(uint32_t timeout_ms);

/* A counter the interface keeps beyond the stack's own (net.h's NET_COUNTERS). */
struct hal_net_counter {
    const char *name; /* a stable identifier, e.g. "nic_rx_err": tests parse it */
    uint32_t value;
};

/* Fill out[0..cap) with the interface's counters, in a fixed order; returns how
 * many there are (may exceed cap: only cap were written). */
unsigned hal_net_counters(struct hal_net_counter *out, unsigned cap);

/*
 * A run-time network setting named `name` ("ip", "gw", "dns", "fallback",
 * "fallback-ms"), or NULL when it is not given or the board has no such
 * settings. On native they come from the command line (--ip=10.0.0.2/24) or the
 * environment (APOGEE_IP); a board without either always returns NULL, and its
 * apps use DHCP.
 */
const char *hal_net_option(const char *name);

#endif /* APOGEE_NETDEV_H */
