/*
 * libslirp backend (see net_slirp.h). Frames libslirp emits are queued and handed
 * to the stack from net_slirp_receive, never from inside a libslirp call: the
 * stack's transmit calls slirp_input, which may answer at once, and the stack
 * must not be re-entered from its own transmit.
 */
#define _GNU_SOURCE
#include "net_slirp.h"

#include <dlfcn.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apogee/err.h"
#include "net_tap.h"

#if defined(__has_include)
#if __has_include(<slirp/libslirp.h>)
#include <slirp/libslirp.h>
#define HAVE_SLIRP 1
#endif
#endif

#ifndef HAVE_SLIRP
int net_slirp_open(struct net_stack *s, uint64_t now_ms)
{
    (void)s;
    (void)now_ms;
    fprintf(stderr, "net_slirp: built without <slirp/libslirp.h>\n");
    return APG_ENOTSUP;
}
int net_slirp_wait(uint32_t timeout_ms)
{
    (void)timeout_ms;
    return 0;
}
void net_slirp_receive(uint64_t now_ms)
{
    (void)now_ms;
}
#else

#define RXQ 64
#define TIMERS 16
#define POLLS 64

static struct {
    struct net_stack *s;
    Slirp *slirp;
    Slirp *(*new_)(const SlirpConfig *, const SlirpCb *, void *);
    void (*input)(Slirp *, const uint8_t *, int);
    void (*fill)(Slirp *, uint32_t *, SlirpAddPollCb, void *);
    void (*poll_)(Slirp *, int, SlirpGetREventsCb, void *);
    int (*hostfwd)(Slirp *, int, struct in_addr, int, struct in_addr, int);
    uint8_t q[RXQ][APOGEE_NET_PBUF_SIZE];
    uint16_t qlen[RXQ];
    unsigned qhead, qcount;
    struct {
        SlirpTimerCb cb;
        void *opaque;
        int64_t expire; /* ms, -1 idle */
        int used;
    } timers[TIMERS];
    struct pollfd pf[POLLS + 1];
    int npf;
    int watch_stdin;
} g;

static int64_t clock_ns(void *o)
{
    (void)o;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t send_packet(const void *buf, size_t len, void *o)
{
    (void)o;
    if (len > APOGEE_NET_PBUF_SIZE || g.qcount == RXQ) {
        g.s->cnt.eth_drop++; /* as a NIC whose ring is full */
        return (ssize_t)len;
    }
    unsigned i = (g.qhead + g.qcount++) % RXQ;
    memcpy(g.q[i], buf, len);
    g.qlen[i] = (uint16_t)len;
    return (ssize_t)len;
}

static void guest_error(const char *msg, void *o)
{
    (void)o;
    fprintf(stderr, "net_slirp: %s\n", msg);
}

static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *o)
{
    (void)o;
    for (int i = 0; i < TIMERS; i++) {
        if (!g.timers[i].used) {
            g.timers[i].used = 1;
            g.timers[i].cb = cb;
            g.timers[i].opaque = cb_opaque;
            g.timers[i].expire = -1;
            return &g.timers[i];
        }
    }
    fprintf(stderr, "net_slirp: out of timers\n");
    abort();
}

static void timer_free(void *t, void *o)
{
    (void)o;
    memset(t, 0, sizeof(g.timers[0]));
}

static void timer_mod(void *t, int64_t expire_ms, void *o)
{
    (void)o;
    for (int i = 0; i < TIMERS; i++) {
        if (&g.timers[i] == t) {
            g.timers[i].expire = expire_ms;
        }
    }
}

static void fd_nop(int fd, void *o)
{
    (void)fd;
    (void)o;
}

static void notify(void *o)
{
    (void)o;
}

static int add_poll(int fd, int events, void *o)
{
    (void)o;
    if (g.npf >= POLLS) {
        return -1;
    }
    short ev = 0;
    ev |= (events & SLIRP_POLL_IN) ? POLLIN : 0;
    ev |= (events & SLIRP_POLL_OUT) ? POLLOUT : 0;
    ev |= (events & SLIRP_POLL_PRI) ? POLLPRI : 0;
    g.pf[g.npf].fd = fd;
    g.pf[g.npf].events = ev;
    g.pf[g.npf].revents = 0;
    return g.npf++;
}

static int get_revents(int idx, void *o)
{
    (void)o;
    if (idx < 0 || idx >= g.npf) {
        return 0;
    }
    short r = g.pf[idx].revents;
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

static int slirp_transmit(struct net_netif *nif, struct net_pbuf *p)
{
    g.input(g.slirp, net_pbuf_data(p), p->len);
    net_pbuf_free(nif->pool, p);
    return APG_OK;
}

static int add_forwards(const char *spec)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", spec);
    struct in_addr host = {htonl(0x7F000001u)}, guest = {htonl(0x0A00020Fu)};
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        unsigned hp, gp;
        int udp = strncmp(tok, "udp:", 4) == 0;
        if ((!udp && strncmp(tok, "tcp:", 4) != 0) || sscanf(tok + 4, "%u-%u", &hp, &gp) != 2 ||
            hp > 65535 || gp > 65535) {
            fprintf(stderr, "net_slirp: bad hostfwd '%s'\n", tok);
            return APG_EINVAL;
        }
        if (g.hostfwd(g.slirp, udp, host, (int)hp, guest, (int)gp) < 0) {
            fprintf(stderr, "net_slirp: cannot forward %s\n", tok);
            return APG_EIO;
        }
    }
    return APG_OK;
}

int net_slirp_open(struct net_stack *s, uint64_t now_ms)
{
    void *h = dlopen("libslirp.so.0", RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "net_slirp: %s\n", dlerror());
        return APG_ENOTSUP;
    }
    g.s = s;
    *(void **)&g.new_ = dlsym(h, "slirp_new");
    *(void **)&g.input = dlsym(h, "slirp_input");
    *(void **)&g.fill = dlsym(h, "slirp_pollfds_fill");
    *(void **)&g.poll_ = dlsym(h, "slirp_pollfds_poll");
    *(void **)&g.hostfwd = dlsym(h, "slirp_add_hostfwd");
    if (!g.new_ || !g.input || !g.fill || !g.poll_ || !g.hostfwd) {
        fprintf(stderr, "net_slirp: libslirp lacks a function we need\n");
        return APG_ENOTSUP;
    }
    static SlirpConfig cfg;
    cfg.version = 1;
    cfg.in_enabled = true;
    cfg.vnetwork.s_addr = htonl(0x0A000200u);
    cfg.vnetmask.s_addr = htonl(0xFFFFFF00u);
    cfg.vhost.s_addr = htonl(0x0A000202u);
    cfg.vdhcp_start.s_addr = htonl(0x0A00020Fu);
    cfg.vnameserver.s_addr = htonl(0x0A000203u);
    static const SlirpCb cb = {
        .send_packet = send_packet,
        .guest_error = guest_error,
        .clock_get_ns = clock_ns,
        .timer_new = timer_new,
        .timer_free = timer_free,
        .timer_mod = timer_mod,
        .register_poll_fd = fd_nop,
        .unregister_poll_fd = fd_nop,
        .notify = notify,
    };
    g.slirp = g.new_(&cfg, &cb, NULL);
    if (g.slirp == NULL) {
        return APG_EIO;
    }
    const char *fwd = native_option("hostfwd");
    if (fwd != NULL) {
        int rc = add_forwards(fwd);
        if (rc != APG_OK) {
            return rc;
        }
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
    /* /dev/null or a file on stdin is always "readable": watching it would spin
     * (`scons run` gives the image /dev/null). As the TAP backend does. */
    struct stat st;
    g.watch_stdin = fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                                           isatty(0));
    s->netif.transmit = slirp_transmit;
    s->netif.driver = NULL;
    net_link_up(s, now_ms);
    return APG_OK;
}

int net_slirp_wait(uint32_t timeout_ms)
{
    uint32_t t = g.qcount ? 0 : timeout_ms;
    int64_t now = clock_ns(NULL) / 1000000;
    for (int i = 0; i < TIMERS; i++) {
        if (g.timers[i].used && g.timers[i].expire >= 0) {
            int64_t d = g.timers[i].expire - now;
            t = d <= 0 ? 0 : ((uint64_t)d < t ? (uint32_t)d : t);
        }
    }
    g.npf = 0;
    g.fill(g.slirp, &t, add_poll, NULL);
    int stdin_idx = g.npf;
    g.pf[stdin_idx].fd = g.watch_stdin ? 0 : -1;
    g.pf[stdin_idx].events = POLLIN;
    g.pf[stdin_idx].revents = 0;
    int rc = poll(g.pf, (nfds_t)stdin_idx + 1, t > 1000000u ? 1000000 : (int)t);
    g.poll_(g.slirp, rc < 0, get_revents, NULL);
    if (g.pf[stdin_idx].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        g.watch_stdin = 0;
    }
    return (g.pf[stdin_idx].revents & POLLIN) ? NET_TAP_CONSOLE : 0;
}

void net_slirp_receive(uint64_t now_ms)
{
    int64_t now = clock_ns(NULL) / 1000000;
    for (int i = 0; i < TIMERS; i++) {
        if (g.timers[i].used && g.timers[i].expire >= 0 && g.timers[i].expire <= now) {
            g.timers[i].expire = -1;
            g.timers[i].cb(g.timers[i].opaque);
        }
    }
    /* Deliver what was queued before this call; frames queued while delivering
     * (answers to what the stack sends) wait for the next turn. */
    for (unsigned n = g.qcount; n > 0; n--) {
        struct net_pbuf *p = net_rx_buffer(g.s);
        unsigned i = g.qhead;
        g.qhead = (g.qhead + 1) % RXQ;
        g.qcount--;
        if (p == NULL) {
            continue; /* counted by the pool */
        }
        memcpy(net_pbuf_put(p, g.qlen[i]), g.q[i], g.qlen[i]);
        net_input(g.s, p, now_ms);
    }
}
#endif
