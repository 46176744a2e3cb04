/*
 * net_slirp.h - the native board's other network: libslirp user-mode networking.
 *
 * No TAP, no root: libslirp is a whole virtual LAN in the process (gateway and DNS
 * at 10.0.2.2 and .3, a DHCP server handing out 10.0.2.15), and host ports can be
 * forwarded to the image. libslirp is loaded at run time (dlopen of
 * libslirp.so.0), so building an image needs only its header, and an image built
 * without it still runs on the TAP; net_slirp_open then returns APG_ENOTSUP.
 *
 * Options (command line or environment, see native_option in net_tap.h):
 *   --net=slirp            use this backend instead of the TAP (net-echo)
 *   --hostfwd=LIST         tcp:HOSTPORT-GUESTPORT,udp:HOSTPORT-GUESTPORT,...
 *                          host side 127.0.0.1, guest side 10.0.2.15
 */
#ifndef NATIVE_NET_SLIRP_H
#define NATIVE_NET_SLIRP_H

#include <stdint.h>

#include "net.h"

/* Create the virtual LAN, attach the stack (netif, MAC from --mac or random) and
 * bring the link up. APG_OK, APG_ENOTSUP (no libslirp), APG_EINVAL (bad --hostfwd)
 * or APG_EIO. One instance per process. */
int net_slirp_open(struct net_stack *s, uint64_t now_ms);

/* Wait up to timeout_ms for libslirp's sockets or stdin; returns NET_TAP_CONSOLE
 * when stdin is readable (same flags as net_tap_wait). Runs libslirp's I/O. */
int net_slirp_wait(uint32_t timeout_ms);

/* Deliver the frames libslirp produced to the stack and run its timers. */
void net_slirp_receive(uint64_t now_ms);

#endif /* NATIVE_NET_SLIRP_H */
