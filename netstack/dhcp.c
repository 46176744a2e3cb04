#include "dhcp.h"

#include <string.h>

#include "apogee/err.h"
#include "net_bytes.h"

#define MAGIC 0x63825363u
#define FIXED 240

int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m)
{
    memset(m, 0, sizeof(*m));
    if (len < FIXED || net_rd32(p + 236) != MAGIC) {
        return APG_EBADMSG;
    }
    m->op = p[0];
    m->xid = net_rd32(p + 4);
    m->ciaddr = net_rd32(p + 12);
    m->yiaddr = net_rd32(p + 16);
    m->cfg.addr = m->yiaddr;
    memcpy(m->chaddr, p + 28, 6);
    size_t i = FIXED;
    while (i < len) {
        uint8_t code = p[i];
        if (code == 255) {
            return APG_OK;
        }
        if (code == 0) {
            i++;
            continue;
        }
        if (i + 2 > len || i + 2 + p[i + 1] > len) {
            return APG_EBADMSG;
        }
        uint8_t n = p[i + 1];
        const uint8_t *v = p + i + 2;
        /* Fixed-size options shorter than their size are ignored, longer ones
         * use their first value (lists of routers or servers). */
        if (code == 53 && n >= 1) {
            m->type = v[0];
        } else if (n >= 4) {
            uint32_t x = net_rd32(v);
            switch (code) {
            case 1: m->cfg.mask = x; break;
            case 3: m->cfg.router = x; break;
            case 6: m->cfg.dns = x; break;
            case 51: m->lease_s = x; break;
            case 54: m->server = x; break;
            case 58: m->t1_s = x; break;
            case 59: m->t2_s = x; break;
            default: break;
            }
        }
        i += 2u + n;
    }
    return APG_OK; /* no End option: tolerated, everything seen was well-formed */
}

void dhcp_init(struct dhcp_client *c, const uint8_t mac[6], const struct net_ipconfig *fallback,
               uint32_t fallback_ms)
{
    memset(c, 0, sizeof(*c));
    memcpy(c->mac, mac, 6);
    if (fallback != NULL) {
        c->fallback = *fallback;
        c->fallback_ms = fallback_ms;
    }
}

static void enter(struct dhcp_client *c, uint8_t state, uint64_t now)
{
    c->state = state;
    c->tries = 0;
    c->next = now;
}

void dhcp_start(struct dhcp_client *c, uint64_t now_ms, uint32_t rnd)
{
    c->xid = rnd;
    c->started = now_ms;
    memset(&c->cfg, 0, sizeof(c->cfg));
    enter(c, DHCP_SELECTING, now_ms);
}

static uint8_t *opt32(uint8_t *o, uint8_t code, uint32_t v)
{
    o[0] = code;
    o[1] = 4;
    net_wr32(o + 2, v);
    return o + 6;
}

static int build(struct dhcp_client *c, uint64_t now, uint8_t type, uint8_t *out)
{
    memset(out, 0, DHCP_MSG_MAX);
    out[0] = 1;
    out[1] = 1;
    out[2] = 6;
    net_wr32(out + 4, c->xid);
    uint64_t secs = (now - c->started) / 1000u;
    net_wr16(out + 8, (uint16_t)(secs > 0xFFFF ? 0xFFFF : secs));
    int have_addr = c->state == DHCP_RENEWING || c->state == DHCP_REBINDING;
    if (have_addr) {
        net_wr32(out + 12, c->cfg.addr);
    } else {
        net_wr16(out + 10, 0x8000); /* broadcast replies: we cannot receive unicast yet */
    }
    memcpy(out + 28, c->mac, 6);
    net_wr32(out + 236, MAGIC);
    uint8_t *o = out + FIXED;
    *o++ = 53;
    *o++ = 1;
    *o++ = type;
    *o++ = 61; /* client identifier: hardware type 1 and the MAC */
    *o++ = 7;
    *o++ = 1;
    memcpy(o, c->mac, 6);
    o += 6;
    if (c->state == DHCP_REQUESTING || c->state == DHCP_DECLINING) {
        o = opt32(o, 50, c->offer.addr);
        o = opt32(o, 54, c->server);
    }
    static const uint8_t params[] = {55, 6, 1, 3, 6, 51, 58, 59};
    memcpy(o, params, sizeof(params));
    o += sizeof(params);
    *o = 255;
    return DHCP_MSG_MAX; /* padded to the BOOTP minimum */
}

/* 4, 8, 16, 32, 64 s, each +-1 s (RFC 2131 4.1). */
static uint64_t backoff(uint8_t tries, uint32_t rnd)
{
    uint32_t shift = tries > 5 ? 4 : (uint32_t)(tries - 1);
    uint64_t base = (uint64_t)APOGEE_NET_DHCP_RETRY_MS << shift;
    uint64_t jitter = APOGEE_NET_DHCP_RETRY_MS / 4;
    return base - jitter + rnd % (2 * jitter + 1);
}

static uint64_t renew_wait(uint64_t now, uint64_t until)
{
    uint64_t left = until > now ? until - now : 0;
    uint64_t half = left / 2;
    if (half < APOGEE_NET_DHCP_MIN_RENEW_MS) {
        half = left < APOGEE_NET_DHCP_MIN_RENEW_MS ? left : APOGEE_NET_DHCP_MIN_RENEW_MS;
    }
    return half;
}

static void lose(struct dhcp_client *c, uint64_t now, uint32_t rnd)
{
    uint64_t started = c->started;
    int was_bound = c->cfg.addr != 0;
    dhcp_start(c, now, rnd);
    if (was_bound) {
        c->event = DHCP_EV_LOST;
    } else {
        c->started = started; /* keep the fallback clock running */
    }
}

int dhcp_poll(struct dhcp_client *c, uint64_t now_ms, uint32_t rnd, uint8_t *out, size_t cap,
              uint32_t *src, uint32_t *dst)
{
    if (cap < DHCP_MSG_MAX) {
        return APG_EMSGSIZE;
    }
    *src = 0;
    *dst = 0xFFFFFFFFu;
    switch (c->state) {
    case DHCP_SELECTING:
    case DHCP_REQUESTING:
        if (c->fallback_ms != 0 && now_ms - c->started >= c->fallback_ms) {
            c->cfg = c->fallback;
            c->state = DHCP_FALLBACK;
            c->event = DHCP_EV_FALLBACK;
            return 0;
        }
        if (now_ms < c->next) {
            return 0;
        }
        if (c->state == DHCP_REQUESTING && c->tries >= 4) {
            c->xid = rnd;
            enter(c, DHCP_SELECTING, now_ms);
        }
        c->tries++;
        c->next = now_ms + backoff(c->tries, rnd);
        return build(c, now_ms, c->state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST, out);
    case DHCP_CHECKING:
        if (now_ms >= c->next) {
            c->state = DHCP_BOUND;
            c->event = DHCP_EV_BOUND;
        }
        return 0;
    case DHCP_DECLINING: {
        int n = build(c, now_ms, DHCP_DECLINE, out);
        c->xid = rnd;
        memset(&c->cfg, 0, sizeof(c->cfg));
        enter(c, DHCP_SELECTING, now_ms + DHCP_DECLINE_WAIT_MS);
        return n;
    }
    case DHCP_BOUND:
    case DHCP_RENEWING:
    case DHCP_REBINDING:
        if (now_ms >= c->expiry) {
            lose(c, now_ms, rnd);
            return 0;
        }
        if (c->state == DHCP_BOUND && now_ms >= c->t1) {
            enter(c, DHCP_RENEWING, now_ms);
        }
        if (c->state == DHCP_RENEWING && now_ms >= c->t2) {
            enter(c, DHCP_REBINDING, now_ms);
        }
        if (c->state == DHCP_BOUND || now_ms < c->next) {
            return 0;
        }
        c->tries++;
        c->next = now_ms + renew_wait(now_ms, c->state == DHCP_RENEWING ? c->t2 : c->expiry);
        *src = c->cfg.addr;
        if (c->state == DHCP_RENEWING) {
            *dst = c->server;
        }
        return build(c, now_ms, DHCP_REQUEST, out);
    default:
        return 0;
    }
}

int dhcp_input(struct dhcp_client *c, const uint8_t *p, size_t len, uint64_t now_ms)
{
    struct dhcp_msg m;
    int rc = dhcp_parse(p, len, &m);
    if (rc < 0) {
        return rc;
    }
    if (m.op != 2 || m.xid != c->xid || memcmp(m.chaddr, c->mac, 6) != 0) {
        return APG_OK;
    }
    switch (c->state) {
    case DHCP_SELECTING:
        if (m.type == DHCP_OFFER && m.yiaddr != 0 && m.server != 0) {
            c->offer = m.cfg;
            c->server = m.server;
            enter(c, DHCP_REQUESTING, now_ms);
        }
        break;
    case DHCP_REQUESTING:
    case DHCP_RENEWING:
    case DHCP_REBINDING:
        if (c->state == DHCP_REQUESTING && m.server != c->server) {
            break; /* another server's answer to our broadcast REQUEST */
        }
        if (m.type == DHCP_NAK) {
            lose(c, now_ms, c->xid * 2654435761u + 1u);
        } else if (m.type == DHCP_ACK && m.yiaddr != 0 && m.lease_s != 0) {
            uint64_t lease = (uint64_t)m.lease_s * 1000u;
            c->cfg = m.cfg;
            if (c->cfg.mask == 0) {
                c->cfg.mask = 0xFFFFFF00u; /* RFC 2131 wants it; be lenient */
            }
            if (m.server != 0) {
                c->server = m.server;
            }
            c->t1 = now_ms + (m.t1_s && m.t1_s < m.lease_s ? (uint64_t)m.t1_s * 1000u : lease / 2);
            c->t2 = now_ms + (m.t2_s && m.t2_s < m.lease_s ? (uint64_t)m.t2_s * 1000u : lease * 7 / 8);
            c->expiry = now_ms + lease;
            if (c->t1 > c->t2) {
                c->t1 = c->t2;
            }
            if (c->state == DHCP_REQUESTING && APOGEE_NET_DHCP_CHECK_MS != 0) {
                c->offer = c->cfg;
                c->state = DHCP_CHECKING;
                c->next = now_ms + APOGEE_NET_DHCP_CHECK_MS;
                c->probe = 1;
            } else {
                c->state = DHCP_BOUND;
                c->event = DHCP_EV_BOUND;
            }
        }
        break;
    default:
        break;
    }
    return APG_OK;
}

uint32_t dhcp_probe(struct dhcp_client *c)
{
    if (c->state != DHCP_CHECKING || !c->probe) {
        return 0;
    }
    c->probe = 0;
    return c->cfg.addr;
}

void dhcp_conflict(struct dhcp_client *c, uint64_t now_ms)
{
    if (c->state == DHCP_CHECKING) {
        c->state = DHCP_DECLINING;
        c->next = now_ms;
    }
}

int dhcp_event(struct dhcp_client *c)
{
    int e = c->event;
    c->event = DHCP_EV_NONE;
    return e;
}

uint32_t dhcp_timeout(const struct dhcp_client *c, uint64_t now_ms)
{
    uint64_t t;
    switch (c->state) {
    case DHCP_SELECTING:
    case DHCP_REQUESTING:
        t = c->next;
        if (c->fallback_ms != 0 && c->started + c->fallback_ms < t) {
            t = c->started + c->fallback_ms;
        }
        break;
    case DHCP_CHECKING:
    case DHCP_DECLINING:
        t = c->next;
        break;
    case DHCP_BOUND:
        t = c->t1;
        break;
    case DHCP_RENEWING:
    case DHCP_REBINDING:
        t = c->next < c->expiry ? c->next : c->expiry;
        if (c->state == DHCP_RENEWING && c->t2 < t) {
            t = c->t2;
        }
        break;
    default:
        return UINT32_MAX;
    }
    if (t <= now_ms) {
        return 0;
    }
    return t - now_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)(t - now_ms);
}
