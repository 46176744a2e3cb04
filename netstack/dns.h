/*
 * dns.h - a DNS stub resolver for A records (RFC 1035) as a sans-IO core.
 *
 * Applications call dns_resolve(name) repeatedly: it answers from the cache,
 * starts a query, or reports the outcome of one (APG_EAGAIN meanwhile). The
 * caller (net_api.c) sends what dns_poll produces as UDP from the given source
 * port to the server's port 53, and offers every UDP datagram to dns_input.
 *
 * Against off-path spoofing each query has a random 16-bit ID and a random source
 * port (49152..65535), and an answer must come from the server's address and
 * port 53 and repeat the question. A query is sent up to APOGEE_NET_DNS_TRIES
 * times, waiting APOGEE_NET_DNS_TIMEOUT_MS, then twice that, and so on. Answers are
 * cached for their TTL (at most APOGEE_NET_DNS_TTL_MAX_S) in
 * APOGEE_NET_DNS_CACHE entries, the one closest to expiry replaced first.
 */
#ifndef NET_DNS_H
#define NET_DNS_H

#include <stddef.h>
#include <stdint.h>

#ifndef APOGEE_NET_DNS_QUERIES
#define APOGEE_NET_DNS_QUERIES 2
#endif
#ifndef APOGEE_NET_DNS_CACHE
#define APOGEE_NET_DNS_CACHE 4
#endif
/* Longest name accepted, in characters without the final dot. */
#ifndef APOGEE_NET_DNS_NAME_MAX
#define APOGEE_NET_DNS_NAME_MAX 63
#endif
#ifndef APOGEE_NET_DNS_TRIES
#define APOGEE_NET_DNS_TRIES 3u
#endif
#ifndef APOGEE_NET_DNS_TIMEOUT_MS
#define APOGEE_NET_DNS_TIMEOUT_MS 1000u
#endif
#ifndef APOGEE_NET_DNS_TTL_MAX_S
#define APOGEE_NET_DNS_TTL_MAX_S 3600u
#endif

#define DNS_PORT 53
/* A query: 12-byte header, the encoded name (at most NAME_MAX + 2), type, class. */
#define DNS_QUERY_MAX (12 + APOGEE_NET_DNS_NAME_MAX + 2 + 4)

struct dns_query {
    char name[APOGEE_NET_DNS_NAME_MAX + 1]; /* "" : free */
    uint8_t state;    /* internal: free, to send, sent, done */
    uint8_t tries;
    int16_t result;   /* APG_OK or the error once done */
    uint16_t id, port;
    uint32_t addr;
    uint64_t deadline;
};

struct dns_cache_entry {
    char name[APOGEE_NET_DNS_NAME_MAX + 1];
    uint32_t addr;
    uint64_t expires;
};

struct dns_resolver {
    uint32_t server; /* 0: none configured (lookups fail with APG_EHOSTUNREACH) */
    struct dns_query q[APOGEE_NET_DNS_QUERIES];
    struct dns_cache_entry cache[APOGEE_NET_DNS_CACHE];
};

/* Encode name ("a.b.c", optional final dot) as DNS labels into out. Returns the
 * encoded length, or APG_EINVAL for an empty label, a label over 63 bytes, or a
 * name longer than APOGEE_NET_DNS_NAME_MAX; APG_EMSGSIZE if cap is too small. */
int dns_encode_name(const char *name, uint8_t *out, size_t cap);

/* Parse a response to query `id` for `name` (type A, class IN). Returns APG_OK
 * with the first A record's address and TTL, APG_EHOSTUNREACH for NXDOMAIN or an
 * answer without an A record, APG_EIO when the server reports a failure (RCODE
 * other than 0 and 3: SERVFAIL, REFUSED...), APG_EBADMSG for anything malformed,
 * not a response, truncated (TC), or of another ID or question. */
int dns_parse_a(const uint8_t *msg, size_t len, uint16_t id, const char *name, uint32_t *addr,
                uint32_t *ttl);

void dns_init(struct dns_resolver *r, uint32_t server);

/* Look name up. APG_OK with *addr set (cached or just answered); APG_EAGAIN while
 * a query runs (started by this call if needed, rnd giving its ID and port);
 * APG_EHOSTUNREACH (no such name or no server), APG_EIO (the server failed),
 * APG_ETIMEDOUT (no answer after the tries), APG_EINVAL (bad name), APG_ENOMEM (all query slots busy). An
 * outcome is reported once; the next call starts afresh. */
int dns_resolve(struct dns_resolver *r, const char *name, uint64_t now_ms, uint32_t rnd,
                uint32_t *addr);

/* The next query to send now: writes it to out (cap >= DNS_QUERY_MAX) and its
 * source port to *sport; returns its length, or 0 when there is none. Also runs
 * the retry timers. */
int dns_poll(struct dns_resolver *r, uint64_t now_ms, uint8_t *out, size_t cap, uint16_t *sport);

/* A UDP datagram from src:sport to our port dport. Returns 1 if it was for one
 * of our queries' ports (consumed, valid or not), else 0. */
int dns_input(struct dns_resolver *r, uint32_t src, uint16_t sport, uint16_t dport,
              const uint8_t *msg, size_t len, uint64_t now_ms);

/* ms until dns_poll next has work (UINT32_MAX: none). */
uint32_t dns_timeout(const struct dns_resolver *r, uint64_t now_ms);

#endif /* NET_DNS_H */
