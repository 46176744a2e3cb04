/*
 * The native board's TAP backend (see net_tap.h). Linux-only by nature.
 */
#define _GNU_SOURCE
#include "net_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apogee/err.h"
#include "apogee/hal.h"

#define HOLD_MS 20

uint32_t net_random32(void *ctx)
{
    (void)ctx;
    uint32_t v;
    while (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v)) {
    }
    return v;
}

const char *native_option(const char *name)
{
    static char cmdline[4096];
    static size_t cmdlen;
    static int loaded;
    if (!loaded) {
        loaded = 1;
        FILE *f = fopen("/proc/self/cmdline", "rb");
        if (f != NULL) {
            cmdlen = fread(cmdline, 1, sizeof(cmdline) - 1, f);
            fclose(f);
        }
    }
    size_t n = strlen(name);
    for (size_t i = 0; i < cmdlen; i += strlen(cmdline + i) + 1) {
        const char *a = cmdline + i;
        if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, n) == 0 && a[2 + n] == '=') {
            return a + 3 + n;
        }
    }
    char env[64] = "APOGEE_";
    for (size_t i = 0; i < n && i + 8 < sizeof(env); i++) {
        env[7 + i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    }
    return getenv(env);
}

/* xorshift64*: small, seedable, good enough to pick frames. */
static uint32_t rng_next(struct net_tap *t)
{
    t->rng ^= t->rng >> 12;
    t->rng ^= t->rng << 25;
    t->rng ^= t->rng >> 27;
    return (uint32_t)((t->rng * 2685821657736338717ull) >> 32);
}

static int chance(struct net_tap *t, uint32_t per_million)
{
    return per_million != 0 && rng_next(t) % 1000000u < per_million;
}

static void parse_impair(struct net_tap *t, const char *spec)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", spec);
    t->rng = 1;
    t->dirs = 3;
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (eq == NULL) {
            continue;
        }
        *eq = 0;
        const char *v = eq + 1;
        uint32_t pm = (uint32_t)(strtod(v, NULL) * 10000.0);
        if (strcmp(tok, "seed") == 0) {
            t->rng = strtoull(v, NULL, 0) * 0x9E3779B97F4A7C15ull | 1u;
        } else if (strcmp(tok, "drop") == 0) {
            t->drop = pm;
        } else if (strcmp(tok, "dup") == 0) {
            t->dup = pm;
        } else if (strcmp(tok, "reorder") == 0) {
            t->reorder = pm;
        } else if (strcmp(tok, "corrupt") == 0) {
            t->corrupt = pm;
        } else if (strcmp(tok, "dir") == 0) {
            t->dirs = strcmp(v, "rx") == 0 ? 1 : strcmp(v, "tx") == 0 ? 2 : 3;
        }
    }
}

/* Deliver one frame in direction d (1 rx into the stack, 2 tx onto the TAP). */
static void deliver(struct net_tap *t, int d, const uint8_t *f, size_t len, uint64_t now)
{
    if (d == 2) {
        if (write(t->fd, f, len) < 0 && errno != EAGAIN) {
            t->s->cnt.tx_err++;
        }
        return;
    }
    struct net_pbuf *p = net_rx_buffer(t->s);
    if (p == NULL) {
        return; /* counted by the pool */
    }
    memcpy(net_pbuf_put(p, len), f, len);
    net_input(t->s, p, now);
}

/* Send a frame through the impairments of direction d. */
static void pass(struct net_tap *t, int d, uint8_t *f, size_t len, uint64_t now)
{
    struct net_tap_dir *h = d == 1 ? &t->rx : &t->tx;
    if (!(t->dirs & d)) {
        deliver(t, d, f, len, now);
        return;
    }
    if (chance(t, t->drop)) {
        t->n_drop++;
        return;
    }
    if (len > 14 && chance(t, t->corrupt)) {
        /* Past the Ethernet header: the checksums are what must catch it. */
        size_t at = 14 + rng_next(t) % (len - 14);
        f[at] ^= (uint8_t)(1u << (rng_next(t) % 8));
        t->n_corrupt++;
    }
    int copies = chance(t, t->dup) ? 2 : 1;
    t->n_dup += (uint32_t)(copies - 1);
    if (h->held_len == 0 && len <= sizeof(h->held) && chance(t, t->reorder)) {
        memcpy(h->held, f, len);
        h->held_len = (uint16_t)len;
        h->held_since = now;
        t->n_reorder++;
        return;
    }
    for (int i = 0; i < copies; i++) {
        deliver(t, d, f, len, now);
    }
    if (h->held_len != 0) {
        uint16_t n = h->held_len;
        h->held_len = 0;
        deliver(t, d, h->held, n, now);
    }
}

static int tap_transmit(struct net_netif *nif, struct net_pbuf *p)
{
    struct net_tap *t = nif->driver;
    static uint8_t frame[APOGEE_NET_PBUF_SIZE];
    size_t len = p->len;
    memcpy(frame, net_pbuf_data(p), len);
    net_pbuf_free(nif->pool, p);
    pass(t, 2, frame, len, t->s->now_ms);
    return APG_OK;
}

int net_tap_open(struct net_tap *t, struct net_stack *s, uint64_t now_ms)
{
    memset(t, 0, sizeof(*t));
    t->s = s;
    const char *name = native_option("tap");
    if (name == NULL) {
        name = "tap0";
    }
    t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0) {
        fprintf(stderr, "net_tap: /dev/net/tun: %s\n", strerror(errno));
        return APG_EIO;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "net_tap: attach to %s: %s\n", name, strerror(errno));
        close(t->fd);
        return APG_EIO;
    }
    const char *mac = native_option("mac");
    unsigned m[6];
    if (mac != NULL && sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6) {
        for (int i = 0; i < 6; i++) {
            s->netif.mac[i] = (uint8_t)m[i];
        }
    } else {
        uint32_t r = net_random32(NULL);
        const uint8_t def[6] = {0x02, 0, 0, (uint8_t)(r >> 16), (uint8_t)(r >> 8), (uint8_t)r};
        memcpy(s->netif.mac, def, 6);
    }
    const char *imp = native_option("impair");
    if (imp != NULL) {
        parse_impair(t, imp);
    }
    /* /dev/null or a file on stdin is always "readable": watching it would spin. */
    struct stat st;
    t->watch_stdin = fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                                            isatty(0));
    s->netif.transmit = tap_transmit;
    s->netif.driver = t;
    net_link_up(s, now_ms);
    return APG_OK;
}

int net_tap_wait(struct net_tap *t, uint32_t timeout_ms)
{
    if (t->rx.held_len || t->tx.held_len) {
        timeout_ms = timeout_ms < HOLD_MS ? timeout_ms : HOLD_MS;
    }
    struct pollfd pf[2] = {{.fd = t->fd, .events = POLLIN},
                           {.fd = t->watch_stdin ? 0 : -1, .events = POLLIN}};
    if (poll(pf, 2, timeout_ms > 1000000u ? 1000000 : (int)timeout_ms) <= 0) {
        return 0;
    }
    if (pf[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        t->watch_stdin = 0; /* closed: it would wake every poll from now on */
    }
    return ((pf[0].revents & POLLIN) ? NET_TAP_FRAME : 0) |
           ((pf[1].revents & (POLLIN | POLLHUP)) ? NET_TAP_CONSOLE : 0);
}

void net_tap_receive(struct net_tap *t, uint64_t now_ms)
{
    static uint8_t frame[2048];
    t->s->now_ms = now_ms;
    for (int i = 0; i < 64; i++) { /* bounded: let the main loop run between bursts */
        if (!(t->dirs & 1)) {
            /* No impairment on receive: the frame goes straight into a pool buffer. */
            struct net_pbuf *p = net_rx_buffer(t->s);
            if (p == NULL) {
                break; /* counted by the pool; the frames wait in the TAP's queue */
            }
            ssize_t n = read(t->fd, p->data, APOGEE_NET_PBUF_SIZE);
            if (n <= 0) {
                net_pbuf_free(&t->s->pool, p);
                break;
            }
            p->len = (uint16_t)n;
            net_input(t->s, p, now_ms);
            continue;
        }
        ssize_t n = read(t->fd, frame, sizeof(frame));
        if (n <= 0) {
            break;
        }
        if ((size_t)n > APOGEE_NET_PBUF_SIZE) {
            t->s->cnt.eth_drop++; /* larger than any frame we accept */
            continue;
        }
        pass(t, 1, frame, (size_t)n, now_ms);
    }
    struct net_tap_dir *dirs[2] = {&t->rx, &t->tx};
    for (int d = 0; d < 2; d++) {
        struct net_tap_dir *h = dirs[d];
        if (h->held_len && now_ms - h->held_since >= HOLD_MS) {
            uint16_t n = h->held_len;
            h->held_len = 0;
            deliver(t, d + 1, h->held, n, now_ms);
        }
    }
}
