#include "dns.h"

#include <string.h>

#include "apogee/err.h"
#include "net_bytes.h"

enum { Q_FREE = 0, Q_SEND, Q_SENT, Q_DONE };

/* How long an outcome waits for the application to collect it. */
#define DONE_KEEP_MS 30000u

/* Length of name, looking no further than max + 2 characters. */
static size_t name_len(const char *name, size_t max)
{
    size_t n = 0;
    while (n <= max + 1 && name[n] != 0) {
        n++;
    }
    return n;
}

int dns_encode_name(const char *name, uint8_t *out, size_t cap)
{
    size_t n = name_len(name, APOGEE_NET_DNS_NAME_MAX);
    if (n > 0 && name[n - 1] == '.') {
        n--;
    }
    if (n == 0 || n > APOGEE_NET_DNS_NAME_MAX) {
        return APG_EINVAL;
    }
    if (cap < n + 2) {
        return APG_EMSGSIZE;
    }
    size_t o = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || name[i] == '.') {
            size_t l = i - start;
            if (l == 0 || l > 63) {
                return APG_EINVAL;
            }
            out[o++] = (uint8_t)l;
            memcpy(out + o, name + start, l);
            o += l;
            start = i + 1;
        }
    }
    out[o++] = 0;
    return (int)o;
}

/* Skip a possibly compressed name at off; returns the offset after it, or 0. */
static size_t skip_name(const uint8_t *m, size_t len, size_t off)
{
    for (unsigned labels = 0; labels < 128; labels++) {
        if (off >= len) {
            return 0;
        }
        uint8_t l = m[off];
        if ((l & 0xC0) == 0xC0) {
            return off + 2 <= len ? off + 2 : 0;
        }
        if (l & 0xC0) {
            return 0; /* reserved label types */
        }
        off += 1u + l;
        if (l == 0) {
            return off <= len ? off : 0;
        }
    }
    return 0;
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int dns_parse_a(const uint8_t *msg, size_t len, uint16_t id, const char *name, uint32_t *addr,
                uint32_t *ttl)
{
    uint8_t q[APOGEE_NET_DNS_NAME_MAX + 2];
    int qn = dns_encode_name(name, q, sizeof(q));
    if (qn < 0 || len < 12) {
        return APG_EBADMSG;
    }
    uint16_t flags = net_rd16(msg + 2);
    /* QR set, opcode 0 (query), TC clear. */
    if (net_rd16(msg) != id || (flags & 0xFA00u) != 0x8000u || net_rd16(msg + 4) != 1) {
        return APG_EBADMSG;
    }
    /* The question, uncompressed as we sent it (case may differ, RFC 4343). */
    size_t off = 12;
    if (len < off + (size_t)qn + 4) {
        return APG_EBADMSG;
    }
    for (int i = 0; i < qn; i++) {
        if (lower(msg[off + (size_t)i]) != lower(q[i])) {
            return APG_EBADMSG;
        }
    }
    off += (size_t)qn;
    if (net_rd16(msg + off) != 1 || net_rd16(msg + off + 2) != 1) {
        return APG_EBADMSG;
    }
    off += 4;
    unsigned rcode = flags & 0x0F;
    if (rcode == 3) {
        return APG_EHOSTUNREACH;
    }
    if (rcode != 0) {
        return APG_EIO; /* the server failed or refused: a real answer, a bad outcome */
    }
    /* The first A record among the answers; a resolver puts a CNAME chain first,
     * in order, so the first A is for the end of the chain. */
    unsigned an = net_rd16(msg + 6);
    for (unsigned i = 0; i < an; i++) {
        off = skip_name(msg, len, off);
        if (off == 0 || off + 10 > len) {
            return APG_EBADMSG;
        }
        uint16_t type = net_rd16(msg + off), cls = net_rd16(msg + off + 2);
        uint32_t t = net_rd32(msg + off + 4);
        size_t rdlen = net_rd16(msg + off + 8);
        off += 10;
        if (off + rdlen > len) {
            return APG_EBADMSG;
        }
        if (type == 1 && cls == 1 && rdlen == 4) {
            *addr = net_rd32(msg + off);
            *ttl = t > 0x7FFFFFFFu ? 0 : t; /* RFC 2181 8: top bit set means 0 */
            return APG_OK;
        }
        off += rdlen;
    }
    return APG_EHOSTUNREACH;
}

void dns_init(struct dns_resolver *r, uint32_t server)
{
    memset(r, 0, sizeof(*r));
    r->server = server;
}

static int name_eq(const char *a, const char *b)
{
    size_t i = 0;
    for (; a[i] && b[i]; i++) {
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) {
            return 0;
        }
    }
    /* "x.y." and "x.y" are the same name */
    return (a[i] == b[i]) || (a[i] == '.' && !a[i + 1] && !b[i]) ||
           (b[i] == '.' && !b[i + 1] && !a[i]);
}

int dns_resolve(struct dns_resolver *r, const char *name, uint64_t now_ms, uint32_t rnd,
                uint32_t *addr)
{
    uint8_t scratch[APOGEE_NET_DNS_NAME_MAX + 2];
    if (dns_encode_name(name, scratch, sizeof(scratch)) < 0) {
        return APG_EINVAL;
    }
    struct dns_query *free_q = NULL;
    for (unsigned i = 0; i < APOGEE_NET_DNS_QUERIES; i++) {
        struct dns_query *q = &r->q[i];
        if (q->state == Q_FREE) {
            if (free_q == NULL) {
                free_q = q;
            }
        } else if (name_eq(q->name, name)) {
            if (q->state != Q_DONE) {
                return APG_EAGAIN;
            }
            int res = q->result;
            *addr = q->addr;
            q->state = Q_FREE;
            q->name[0] = 0;
            return res;
        }
    }
    /* A finished query is reported first (once), then the cache answers. */
    for (unsigned i = 0; i < APOGEE_NET_DNS_CACHE; i++) {
        struct dns_cache_entry *e = &r->cache[i];
        if (e->name[0] && name_eq(e->name, name)) {
            if (now_ms < e->expires) {
                *addr = e->addr;
                return APG_OK;
            }
            e->name[0] = 0;
        }
    }
    if (r->server == 0) {
        return APG_EHOSTUNREACH;
    }
    if (free_q == NULL) {
        return APG_ENOMEM;
    }
    memset(free_q, 0, sizeof(*free_q));
    size_t n = name_len(name, APOGEE_NET_DNS_NAME_MAX);
    n -= name[n - 1] == '.'; /* encoded above: 1..NAME_MAX characters plus a dot */
    memcpy(free_q->name, name, n);
    free_q->state = Q_SEND;
    free_q->id = (uint16_t)rnd;
    free_q->port = (uint16_t)(49152u + ((rnd >> 16) & 0x3FFFu));
    free_q->deadline = now_ms;
    return APG_EAGAIN;
}

int dns_poll(struct dns_resolver *r, uint64_t now_ms, uint8_t *out, size_t cap, uint16_t *sport)
{
    for (unsigned i = 0; i < APOGEE_NET_DNS_QUERIES; i++) {
        struct dns_query *q = &r->q[i];
        if (q->state == Q_DONE && now_ms >= q->deadline) {
            q->state = Q_FREE; /* an outcome nobody came for frees its slot */
            q->name[0] = 0;
        }
        if ((q->state != Q_SEND && q->state != Q_SENT) || now_ms < q->deadline) {
            continue;
        }
        if (q->tries >= APOGEE_NET_DNS_TRIES) {
            q->state = Q_DONE;
            q->result = APG_ETIMEDOUT;
            q->deadline = now_ms + DONE_KEEP_MS;
            continue;
        }
        if (cap < DNS_QUERY_MAX) {
            return APG_EMSGSIZE;
        }
        memset(out, 0, 12);
        net_wr16(out, q->id);
        net_wr16(out + 2, 0x0100); /* recursion desired */
        net_wr16(out + 4, 1);
        int n = dns_encode_name(q->name, out + 12, cap - 12);
        if (n < 0) {
            q->state = Q_DONE;
            q->result = APG_EINVAL;
            continue;
        }
        net_wr16(out + 12 + n, 1); /* type A */
        net_wr16(out + 14 + n, 1); /* class IN */
        q->deadline = now_ms + ((uint64_t)APOGEE_NET_DNS_TIMEOUT_MS << q->tries);
        q->tries++;
        q->state = Q_SENT;
        *sport = q->port;
        return 12 + n + 4;
    }
    return 0;
}

static void cache_put(struct dns_resolver *r, const char *name, uint32_t addr, uint64_t expires)
{
    struct dns_cache_entry *v = &r->cache[0];
    for (unsigned i = 0; i < APOGEE_NET_DNS_CACHE; i++) {
        struct dns_cache_entry *e = &r->cache[i];
        if (!e->name[0] || name_eq(e->name, name)) {
            v = e;
            break;
        }
        if (e->expires < v->expires) {
            v = e;
        }
    }
    memcpy(v->name, name, sizeof(v->name));
    v->addr = addr;
    v->expires = expires;
}

int dns_input(struct dns_resolver *r, uint32_t src, uint16_t sport, uint16_t dport,
              const uint8_t *msg, size_t len, uint64_t now_ms)
{
    for (unsigned i = 0; i < APOGEE_NET_DNS_QUERIES; i++) {
        struct dns_query *q = &r->q[i];
        if (q->state != Q_SENT || q->port != dport) {
            continue;
        }
        if (src != r->server || sport != DNS_PORT) {
            return 1; /* to our port but not from our server: dropped */
        }
        uint32_t addr = 0, ttl = 0;
        int rc = dns_parse_a(msg, len, q->id, q->name, &addr, &ttl);
        if (rc == APG_EBADMSG) {
            return 1; /* forged or garbled: keep waiting for the real answer */
        }
        q->state = Q_DONE;
        q->result = (int16_t)rc;
        q->addr = addr;
        q->deadline = now_ms + DONE_KEEP_MS;
        if (rc == APG_OK && ttl > 0) {
            if (ttl > APOGEE_NET_DNS_TTL_MAX_S) {
                ttl = APOGEE_NET_DNS_TTL_MAX_S;
            }
            cache_put(r, q->name, addr, now_ms + (uint64_t)ttl * 1000u);
        }
        return 1;
    }
    return 0;
}

uint32_t dns_timeout(const struct dns_resolver *r, uint64_t now_ms)
{
    uint64_t t = UINT64_MAX;
    for (unsigned i = 0; i < APOGEE_NET_DNS_QUERIES; i++) {
        const struct dns_query *q = &r->q[i];
        if ((q->state == Q_SEND || q->state == Q_SENT) && q->deadline < t) {
            t = q->deadline;
        }
    }
    if (t == UINT64_MAX) {
        return UINT32_MAX;
    }
    return t <= now_ms ? 0 : (t - now_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)(t - now_ms));
}
