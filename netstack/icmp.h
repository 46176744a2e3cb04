/*
 * icmp.h - ICMP for a host: echo replies and destination-unreachable errors.
 *
 * Echo requests to our unicast address are answered with the same identifier,
 * sequence and data. Closed UDP ports get "port unreachable", rate-limited by a
 * token bucket (APOGEE_NET_ICMP_RATE per second, bursts of as many), and never in
 * answer to broadcasts. Other ICMP messages are counted and dropped.
 */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4.h"

#ifndef APOGEE_NET_ICMP_RATE
#define APOGEE_NET_ICMP_RATE 10u
#endif

struct net_stack;

struct icmp_state {
    uint32_t tokens;
    uint64_t refill_ms;
};

void icmp_input(struct net_stack *s, const struct ip_hdr *h, const uint8_t *p, size_t len);

/* Tell h->src that nothing listens on the UDP port in the datagram (header at
 * h->raw, transport bytes at p). Rate-limited; returns quietly when no token. */
void icmp_port_unreachable(struct net_stack *s, const struct ip_hdr *h, const uint8_t *p,
                           size_t len);

#endif /* NET_ICMP_H */
