/*
 * net-echo: the network stack's demonstration and test app.
 *
 *   UDP echo on port 7, TCP echo on port 7, TCP discard on port 9, TCP chargen
 *   (RFC 864) on port 19, ping.
 *   Network: the board's interface through apogee/netdev.h, so this one source
 *   builds for every board with a network: on native the TAP device
 *   (--tap=NAME) or libslirp (--net=slirp --hostfwd=...), on mps2 the LAN9118.
 *   Address: where the board has run-time settings (native),
 *   --ip=A.B.C.D/LEN [--gw=..] [--dns=..] for a static one; else DHCP (with
 *   --fallback=A.B.C.D/LEN after --fallback-ms, default 30000, if given).
 *   It prints "net-echo: address ..." once configured.
 *   Randomness (ISN keys, ports, DNS and DHCP IDs) is crypto_random, seeded from
 *   the board's entropy source (or the seed provisioned into the image).
 *
 * Console commands (one per line): "stats" prints the pool and drop counters,
 * "resolve NAME" looks NAME up in DNS, "quit" prints the stats and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apogee/err.h"
#include "apogee/hal.h"
#include "apogee/netdev.h"
#include "net_api.h"
#include "random.h"

#define MAX_CONN APOGEE_TCP_SOCKETS

static struct net_app net;
static crypto_random drbg;

enum service { ECHO, DISCARD, CHARGEN };

struct conn {
    int h; /* TCP handle, -1: free */
    enum service svc;
    size_t pos; /* chargen: where in the pattern the next byte comes from */
};
static struct conn conns[MAX_CONN];
static uint8_t buf[32768]; /* large reads: fewer window updates from TCP */
static char line[128];
static size_t line_len;
static char resolving[APOGEE_NET_DNS_NAME_MAX + 1];

static uint64_t now_ms(void)
{
    return hal_clock_us() / 1000u;
}

static void say(const char *s)
{
    hal_console_write(s, strlen(s));
}

/* The stack's random source. A failed request (a provisioned seed used past its
 * reseed interval) leaves v as the clock: IDs and ports stay varied, though no
 * longer unpredictable. */
static uint32_t random32(void *ctx)
{
    (void)ctx;
    uint32_t v = (uint32_t)hal_clock_us();
    (void)crypto_random_bytes(&drbg, &v, sizeof v);
    return v;
}

static int parse_cidr(const char *s, uint32_t *addr, uint32_t *mask)
{
    unsigned a, b, c, d, len = 32;
    int n = sscanf(s, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len);
    if (n < 4 || a > 255 || b > 255 || c > 255 || d > 255 || len > 32) {
        return -1;
    }
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    if (mask != NULL) {
        *mask = len == 0 ? 0 : 0xFFFFFFFFu << (32 - len);
    }
    return 0;
}

static uint32_t opt_addr(const char *name)
{
    const char *v = hal_net_option(name);
    uint32_t a = 0;
    if (v != NULL && parse_cidr(v, &a, NULL) != 0) {
        a = 0;
    }
    return a;
}

static void fmt_ip(char *out, size_t cap, uint32_t a)
{
    snprintf(out, cap, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16) & 255u,
             (unsigned)(a >> 8) & 255u, (unsigned)a & 255u);
}

static void print_stats(void)
{
    char out[2048];
    int n = 0;
    int held = 0;
    for (unsigned i = 0; i < APOGEE_NET_ARP_QUEUE; i++) {
        held += net.net.arp.q[i] != NULL;
    }
    int reass = 0;
    for (unsigned i = 0; i < APOGEE_NET_REASS_SLOTS; i++) {
        reass += net.net.reass.slot[i].used;
    }
    n += snprintf(out + n, sizeof(out) - (size_t)n,
                  "stats pool_free=%u pool_count=%u pool_min=%u pool_exhausted=%u bad_free=%u "
                  "arp_queued=%d reass_busy=%d tcp_free=%d tcp_count=%d",
                  net.net.pool.free_count, APOGEE_NET_PBUF_COUNT, net.net.pool.min_free,
                  (unsigned)net.net.pool.exhausted, (unsigned)net.net.pool.bad_free, held, reass,
                  tcp_free_slots(&net.tcp), APOGEE_TCP_SOCKETS);
#define X(name) \
    n += snprintf(out + n, sizeof(out) - (size_t)n, " %s=%u", #name, (unsigned)net.net.cnt.name);
    NET_COUNTERS(X)
#undef X
    n += snprintf(out + n, sizeof(out) - (size_t)n,
                  " tcp_bad_csum=%u tcp_no_socket=%u tcp_out_of_window=%u tcp_challenge_acks=%u "
                  "tcp_syn_recycled=%u tcp_retransmits=%u",
                  (unsigned)net.tcp.stats.rx_bad_csum, (unsigned)net.tcp.stats.rx_no_socket,
                  (unsigned)net.tcp.stats.rx_out_of_window, (unsigned)net.tcp.stats.challenge_acks,
                  (unsigned)net.tcp.stats.syn_recycled, (unsigned)net.tcp.stats.retransmits);
    /* The interface's own counters (native: the TAP's impairments, imp_*). */
    struct hal_net_counter nic[8];
    unsigned count = hal_net_counters(nic, 8);
    for (unsigned i = 0; i < count && i < 8; i++) {
        n += snprintf(out + n, sizeof(out) - (size_t)n, " %s=%u", nic[i].name,
                      (unsigned)nic[i].value);
    }
    n += snprintf(out + n, sizeof(out) - (size_t)n, "\n");
    hal_console_write(out, (size_t)n);
}

/* Returns 1 when the app should exit. */
static int command(const char *cmd)
{
    if (strcmp(cmd, "stats") == 0) {
        print_stats();
    } else if (strcmp(cmd, "quit") == 0) {
        print_stats();
        return 1;
    } else if (strncmp(cmd, "resolve ", 8) == 0) {
        size_t n = strlen(cmd + 8);
        if (n >= sizeof(resolving)) {
            say("resolve: name too long\n");
            return 0;
        }
        memcpy(resolving, cmd + 8, n + 1);
    } else if (cmd[0] != 0) {
        say("net-echo: unknown command\n");
    }
    return 0;
}

static int console(void)
{
    int c;
    while ((c = hal_console_getc()) >= 0) {
        if (c == '\n' || c == '\r') {
            line[line_len] = 0;
            line_len = 0;
            if (command(line)) {
                return 1;
            }
        } else if (line_len + 1 < sizeof(line)) {
            line[line_len++] = (char)c;
        }
    }
    return 0;
}

static void poll_resolve(void)
{
    if (!resolving[0]) {
        return;
    }
    uint32_t addr = 0;
    int rc = net_dns_resolve(&net, resolving, &addr);
    if (rc == APG_EAGAIN) {
        return;
    }
    char out[160], ip[16];
    fmt_ip(ip, sizeof(ip), addr);
    if (rc == APG_OK) {
        snprintf(out, sizeof(out), "resolved %s %s\n", resolving, ip);
    } else {
        snprintf(out, sizeof(out), "resolve %s failed %d\n", resolving, rc);
    }
    say(out);
    resolving[0] = 0;
}

static void serve_udp(int u)
{
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = net_udp_recvfrom(&net, u, buf, sizeof(buf), &src, &sport)) >= 0) {
        (void)net_udp_sendto(&net, u, src, sport, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
    }
}

/* RFC 864's pattern: lines of 72 printable ASCII characters (32..126), each
 * starting one character later than the last, ended by CR LF; it repeats after 95
 * lines. Built once and twice over, so that a piece of up to one period starting
 * anywhere in the first copy is contiguous. */
#define CHARGEN_LINE 74
#define CHARGEN_PERIOD (95 * CHARGEN_LINE)
static uint8_t chargen[2 * CHARGEN_PERIOD];

static void chargen_init(void)
{
    for (size_t l = 0; l < 95; l++) {
        for (size_t i = 0; i < 72; i++) {
            chargen[l * CHARGEN_LINE + i] = (uint8_t)(32 + (l + i) % 95);
        }
        chargen[l * CHARGEN_LINE + 72] = '\r';
        chargen[l * CHARGEN_LINE + 73] = '\n';
    }
    memcpy(chargen + CHARGEN_PERIOD, chargen, CHARGEN_PERIOD);
}

static void accept_all(int lh, enum service svc)
{
    int h;
    while ((h = net_tcp_accept(&net, lh)) >= 0) {
        int placed = 0;
        for (int i = 0; i < MAX_CONN && !placed; i++) {
            if (conns[i].h < 0) {
                conns[i].h = h;
                conns[i].svc = svc;
                conns[i].pos = 0;
                placed = 1;
            }
        }
        if (!placed) {
            net_tcp_close(&net, h);
        }
    }
}

/* Chargen: fill whatever send room there is; what the client sends is dropped. */
static void serve_chargen(struct conn *c)
{
    int n;
    while ((n = net_tcp_recv(&net, c->h, buf, sizeof(buf))) > 0) {
    }
    if (n != APG_EAGAIN) {
        net_tcp_close(&net, c->h); /* the client closed (or the connection died) */
        c->h = -1;
        return;
    }
    size_t space;
    while ((space = net_tcp_send_space(&net, c->h)) > 0) {
        size_t len = space < CHARGEN_PERIOD ? space : CHARGEN_PERIOD;
        int sent = net_tcp_send(&net, c->h, chargen + c->pos, len);
        if (sent <= 0) {
            return;
        }
        c->pos = (c->pos + (size_t)sent) % CHARGEN_PERIOD;
    }
}

static void serve_conn(struct conn *c)
{
    if (c->svc == CHARGEN) {
        serve_chargen(c);
        return;
    }
    for (;;) {
        size_t room = sizeof(buf);
        if (c->svc == ECHO) {
            size_t space = net_tcp_send_space(&net, c->h);
            room = space < room ? space : room;
            if (room == 0) {
                int r = net_tcp_ready(&net, c->h);
                if (r >= 0 && !(r & NET_CLOSED)) {
                    return; /* wait for the peer to take what we echoed */
                }
            }
        }
        int n = net_tcp_recv(&net, c->h, buf, room ? room : 1);
        if (n == APG_EAGAIN) {
            return;
        }
        if (n <= 0) {
            /* End of stream (or error): echo's reply is complete once queued. */
            net_tcp_close(&net, c->h);
            c->h = -1;
            return;
        }
        if (c->svc == ECHO) {
            (void)net_tcp_send(&net, c->h, buf, (size_t)n);
        }
    }
}

int app_main(void)
{
    static const char pers[] = "net-echo";
    if (crypto_random_init(&drbg, pers, sizeof pers - 1) != APG_OK) {
        say("net-echo: no entropy\n");
        return 1;
    }
    net_app_init(&net, random32, NULL);
    if (hal_net_open(&net.net, now_ms()) != APG_OK) {
        say("net-echo: no network interface\n");
        return 1;
    }
    struct net_ipconfig cfg = {0};
    const char *ip = hal_net_option("ip");
    if (ip != NULL) {
        if (parse_cidr(ip, &cfg.addr, &cfg.mask) != 0) {
            say("net-echo: bad --ip\n");
            return 2;
        }
        cfg.router = opt_addr("gw");
        cfg.dns = opt_addr("dns");
        net_config_static(&net, &cfg);
    } else {
        struct net_ipconfig fb = {0};
        const char *f = hal_net_option("fallback");
        const char *fms = hal_net_option("fallback-ms");
        if (f != NULL && parse_cidr(f, &fb.addr, &fb.mask) == 0) {
            net_config_dhcp(&net, &fb, fms ? (uint32_t)strtoul(fms, NULL, 0) : 30000u);
        } else {
            net_config_dhcp(&net, NULL, 0);
        }
    }
    for (int i = 0; i < MAX_CONN; i++) {
        conns[i].h = -1;
    }
    int u = net_udp_open(&net, 7);
    int l7 = net_tcp_listen(&net, 7, APOGEE_TCP_BACKLOG);
    int l9 = net_tcp_listen(&net, 9, APOGEE_TCP_BACKLOG);
    int l19 = net_tcp_listen(&net, 19, APOGEE_TCP_BACKLOG);
    chargen_init();
    if (u < 0 || l7 < 0 || l9 < 0 || l19 < 0) {
        say("net-echo: cannot open sockets\n");
        return 3;
    }
    int announced = 0;
    uint32_t ready = HAL_NET_CONSOLE;
    for (;;) {
        uint64_t now = now_ms();
        hal_net_receive(&net.net, now);
        /* The app reads what arrived before the stack answers it: the turn's
           net_app_poll then sends one ACK with the window already reopened. */
        serve_udp(u);
        accept_all(l7, ECHO);
        accept_all(l9, DISCARD);
        accept_all(l19, CHARGEN);
        for (int i = 0; i < MAX_CONN; i++) {
            if (conns[i].h >= 0) {
                serve_conn(&conns[i]);
            }
        }
        uint32_t wait = net_app_poll(&net, now);
        struct net_ipconfig cur;
        int configured = net_config_get(&net, &cur) == APG_OK;
        if (configured != announced) {
            char a[16], g[16], d[16], out[128];
            fmt_ip(a, sizeof(a), cur.addr);
            fmt_ip(g, sizeof(g), cur.router);
            fmt_ip(d, sizeof(d), cur.dns);
            int len = 0;
            while (len < 32 && (cur.mask << len) != 0) {
                len++;
            }
            snprintf(out, sizeof(out), configured ? "net-echo: address %s/%d gw %s dns %s\n"
                                                  : "net-echo: address lost\n", a, len, g, d);
            say(out);
            announced = configured;
        }
        poll_resolve();
        if ((ready & HAL_NET_CONSOLE) && console()) {
            return 0;
        }
        if (resolving[0]) {
            wait = net_app_poll(&net, now_ms()); /* a lookup just started: send it */
        }
        wait = wait > 200 ? 200 : wait;
        ready = hal_net_wait(wait);
    }
}
