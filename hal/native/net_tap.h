/*
 * net_tap.h - the native board's network: a Linux TAP device as the Ethernet.
 *
 * The image is a Linux process; its "wire" is a TAP interface (tests create it
 * inside a network namespace and give the Linux side an address). Frames read
 * from the TAP go to net_input; frames the stack transmits are written to it.
 *
 * Options come from the command line (--name=value, read from /proc/self/cmdline
 * since main() belongs to the HAL) or else the environment (APOGEE_NAME):
 *   --tap=NAME        TAP interface to attach to (default tap0; must exist or be
 *                     creatable by this process)
 *   --mac=02:..       our MAC (default 02:00:00 + 3 random bytes)
 *   --offload=0       no checksum/segmentation offload (see net_tap.c); default on
 *   --impair=LIST     seed=N,drop=P,dup=P,reorder=P,corrupt=P,dir=rx|tx|both
 *                     P in percent (decimals allowed). Applied to each frame in
 *                     the chosen directions (default both) from one seeded
 *                     generator, so a run repeats: tc netem is not available here.
 * A reordered frame is held back and released after the next frame passes the
 * same way, or after 20 ms if none does.
 *
 * With offloads on, the backend acts as a NIC with checksum offload and TSO: Linux
 * may hand it 64 KiB TCP super-frames, which it cuts into MSS frames with complete
 * checksums, and (when transmit is not impaired) it joins consecutive full-sized
 * segments the stack sends on one connection into super-frames. The stack only
 * ever sees and makes ordinary frames.
 */
#ifndef NATIVE_NET_TAP_H
#define NATIVE_NET_TAP_H

#include <stdint.h>

#include "net.h"

struct net_tap_dir {
    uint8_t held[APOGEE_NET_PBUF_SIZE]; /* a frame held back for reordering */
    uint16_t held_len;
    uint64_t held_since;
};

struct net_tap {
    int fd;
    struct net_stack *s;
    uint32_t drop, dup, reorder, corrupt; /* per million */
    uint8_t dirs;                         /* 1 rx, 2 tx */
    uint8_t watch_stdin;                  /* 0 once stdin is closed or /dev/null */
    uint8_t vnet;                         /* offloads on: frames carry a virtio-net header */
    uint64_t rng;
    struct net_tap_dir rx, tx;
    uint32_t n_drop, n_dup, n_reorder, n_corrupt;
};

/* A command-line or environment option (see above) or NULL. name is lowercase,
 * e.g. "tap"; the environment variable is APOGEE_ + upper case. */
const char *native_option(const char *name);

/* Open the TAP, set s->netif (transmit, MAC) and bring the link up. Returns
 * APG_OK or APG_EIO (the reason is printed to stderr). */
int net_tap_open(struct net_tap *t, struct net_stack *s, uint64_t now_ms);

/* Wait up to timeout_ms for a frame on the TAP or a byte on stdin. Returns
 * NET_TAP_FRAME and/or NET_TAP_CONSOLE for what is ready (0 on timeout), so the
 * loop reads the console only when something is there. */
#define NET_TAP_FRAME 1
#define NET_TAP_CONSOLE 2
int net_tap_wait(struct net_tap *t, uint32_t timeout_ms);

/* Read every waiting frame into the stack and release held frames that are due. */
void net_tap_receive(struct net_tap *t, uint64_t now_ms);

/* 32 unpredictable bits from getrandom(); the netstack's random source. */
uint32_t net_random32(void *ctx);

#endif /* NATIVE_NET_TAP_H */
