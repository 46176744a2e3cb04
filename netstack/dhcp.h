/*
 * dhcp.h - a DHCP client (RFC 2131) as a sans-IO core.
 *
 * The core never sends: the caller (net_api.c) asks dhcp_poll for the next message
 * and sends it as UDP from port 68 to port 67, and hands every datagram that comes
 * to port 68 to dhcp_input. Time is a millisecond clock passed in.
 *
 *   SELECTING   DISCOVER, retransmitted after 4, 8, 16, 32, 64 s (+-1 s)
 *   REQUESTING  REQUEST for the first OFFER; 4 tries, then back to SELECTING
 *   CHECKING    the ACKed address is probed with ARP for APOGEE_NET_DHCP_CHECK_MS;
 *               if someone answers for it (dhcp_conflict), DECLINE and start over
 *               after 10 s
 *   BOUND       until T1 (option 58, else lease/2)
 *   RENEWING    REQUEST unicast to the server until T2 (option 59, else 7/8 lease)
 *   REBINDING   REQUEST broadcast until the lease expires
 * A NAK or the end of the lease drops the address (DHCP_EV_LOST) and starts over.
 * A static fallback, if configured, is taken when no lease came within the
 * fallback time (DHCP_EV_FALLBACK); the client then stops.
 */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include <stddef.h>
#include <stdint.h>

#ifndef APOGEE_NET_DHCP_RETRY_MS
#define APOGEE_NET_DHCP_RETRY_MS 4000u
#endif
/* After an ACK, the offered address is probed with ARP (RFC 2131 4.4.1, RFC 5227)
 * for this long before it is used; 0 skips the check. */
#ifndef APOGEE_NET_DHCP_CHECK_MS
#define APOGEE_NET_DHCP_CHECK_MS 1000u
#endif
/* RFC 2131 3.1: after declining a conflicting address, wait before starting over. */
#define DHCP_DECLINE_WAIT_MS 10000u
/* RFC 2131 4.4.5: renew/rebind retransmissions wait half the remaining time, but
 * not less than this. */
#ifndef APOGEE_NET_DHCP_MIN_RENEW_MS
#define APOGEE_NET_DHCP_MIN_RENEW_MS 60000u
#endif

#define DHCP_CLIENT_PORT 68
#define DHCP_SERVER_PORT 67
/* Largest message the client builds (fits the 576-byte minimum IP datagram). */
#define DHCP_MSG_MAX 300

enum dhcp_type {
    DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE, DHCP_ACK, DHCP_NAK, DHCP_RELEASE
};

enum dhcp_state {
    DHCP_STOPPED = 0, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING,
    DHCP_REBINDING, DHCP_FALLBACK, DHCP_CHECKING, DHCP_DECLINING
};

enum dhcp_event { DHCP_EV_NONE = 0, DHCP_EV_BOUND, DHCP_EV_LOST, DHCP_EV_FALLBACK };

/* An IPv4 configuration (host order; 0 = absent). */
struct net_ipconfig {
    uint32_t addr, mask, router, dns;
};

/* A parsed BOOTP/DHCP message: the fields the client uses. */
struct dhcp_msg {
    uint8_t op;          /* 1 request, 2 reply */
    uint8_t type;        /* option 53, 0 if absent */
    uint8_t chaddr[6];
    uint32_t xid;
    uint32_t ciaddr, yiaddr;
    uint32_t server;     /* option 54 */
    uint32_t lease_s, t1_s, t2_s; /* options 51, 58, 59; 0 if absent */
    struct net_ipconfig cfg; /* yiaddr with options 1, 3 (first), 6 (first) */
};

struct dhcp_client {
    uint8_t mac[6];
    uint8_t state;       /* enum dhcp_state */
    uint8_t event;       /* pending enum dhcp_event, taken by dhcp_event() */
    uint8_t tries;
    uint8_t probe;       /* 1: the caller should send the ARP probe (dhcp_probe) */
    uint32_t xid;
    uint32_t server;
    uint32_t fallback_ms; /* 0: no fallback */
    uint64_t started;    /* when discovery began (secs field, fallback) */
    uint64_t next;       /* next transmission */
    uint64_t t1, t2, expiry;
    struct net_ipconfig offer, cfg, fallback;
};

/* Parse a message of len bytes. Returns APG_OK, or APG_EBADMSG when shorter than
 * the fixed part (240 bytes with the magic cookie), the cookie is wrong, or an
 * option runs past the end. */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m);

/* Set up a stopped client for the interface with this MAC. fallback may be NULL. */
void dhcp_init(struct dhcp_client *c, const uint8_t mac[6], const struct net_ipconfig *fallback,
               uint32_t fallback_ms);

/* Begin (or restart) discovery now; rnd is a fresh random value (transaction ID). */
void dhcp_start(struct dhcp_client *c, uint64_t now_ms, uint32_t rnd);

/* The next message to send now, if any: writes it to out (cap >= DHCP_MSG_MAX)
 * and its IPv4 source and destination to *src, *dst; returns its length, 0 when
 * there is nothing to send, APG_EMSGSIZE if cap is too small. Also runs the
 * timers (renew, rebind, expiry, fallback). rnd: a fresh random value. */
int dhcp_poll(struct dhcp_client *c, uint64_t now_ms, uint32_t rnd, uint8_t *out, size_t cap,
              uint32_t *src, uint32_t *dst);

/* A datagram that came to port 68. Ignores (returns APG_EBADMSG or APG_OK) what
 * is not a reply to our current transaction. */
int dhcp_input(struct dhcp_client *c, const uint8_t *p, size_t len, uint64_t now_ms);

/* The address to probe with ARP now (once per ACK), or 0. The caller sends an
 * ARP request with sender address 0.0.0.0 and this target, and reports any ARP
 * packet from this address (or probing for it) with dhcp_conflict. */
uint32_t dhcp_probe(struct dhcp_client *c);

/* Someone else uses the address being checked: decline it (no-op otherwise). */
void dhcp_conflict(struct dhcp_client *c, uint64_t now_ms);

/* The pending event (enum dhcp_event), cleared by the call. After BOUND or
 * FALLBACK the configuration is in c->cfg; after LOST there is none. */
int dhcp_event(struct dhcp_client *c);

/* ms until dhcp_poll next has work (UINT32_MAX: none). */
uint32_t dhcp_timeout(const struct dhcp_client *c, uint64_t now_ms);

#endif /* NET_DHCP_H */
