/*
 * tun_harness.c - test-only: the TCP core behind a Linux TUN device (IPv4 packets,
 * no Ethernet), so the kernel's own TCP is the peer. A ~60-line IPv4 wrapper, an
 * impairment stage (seeded loss / reorder / duplication on both directions, since
 * tc netem is not available), and three small apps:
 *
 *   serve:  echo on port 7, discard on 9, "abort on first data" on 13
 *   client: connect to --peer:--port, send --send FILE, half-close, write what comes
 *           back to --recv FILE, close; exit 0 on a clean end, 2 on an error;
 *           --idle MS waits before sending, --keepalive MS turns keepalive on
 *   flood:  serve + print a status line on SIGUSR1 (pool checks)
 *
 * On SIGTERM / SIGINT (or when the client is done) it prints "STAT name value"
 * lines for every counter and "FREE n" (free socket slots), then exits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tcp.h"

static const char *const counter_names[] = {
    "rx_segs", "tx_segs", "tx_errors", "rx_short", "rx_bad_csum", "rx_bad_addr",
    "rx_bad_opts", "rx_bad_flags", "rx_no_socket", "rx_out_of_window", "rx_paws",
    "rx_bad_ack", "rx_dup_acks", "rx_ooo", "rx_ooo_dropped", "rx_rst", "challenge_acks",
    "challenge_limited", "tx_rst", "syn_backlog_drop", "syn_recycled", "tw_recycled",
    "table_full", "retransmits", "rto_fired", "fast_retransmits", "sack_retransmits",
    "zwp_sent", "keepalives_sent", "timeouts", "conn_opened", "tlp_probes",
};
_Static_assert(sizeof(counter_names) / sizeof(counter_names[0]) ==
                   sizeof(struct tcp_counters) / sizeof(uint32_t),
               "counter names out of sync");

static struct tcp_stack stack;
static int tun_fd = -1;
static uint32_t my_ip;
static uint16_t ip_id;
static volatile sig_atomic_t stop_flag;

/* ---- impairment ---------------------------------------------------------- */
static uint64_t rng_state = 88172645463325252ull;
static unsigned loss_pm, reorder_pm, dup_pm; /* per mille */
static uint64_t impaired[3];                 /* dropped, reordered, duplicated */

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

struct held {
    uint8_t buf[2048];
    size_t len;
    uint64_t until;
};
static struct held hold[2]; /* 0: towards the core, 1: towards Linux */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void deliver(int dir, const uint8_t *p, size_t len);

/* Pass a packet through loss, duplication and reordering (a held packet is
   released after the next one in the same direction, or after 20 ms). */
static void impair(int dir, const uint8_t *p, size_t len)
{
    if (loss_pm && rng() % 1000 < loss_pm) {
        impaired[0]++;
        return;
    }
    int copies = (dup_pm && rng() % 1000 < dup_pm) ? 2 : 1;
    impaired[2] += (uint64_t)(copies - 1);
    for (int c = 0; c < copies; c++) {
        if (reorder_pm && !hold[dir].len && len <= sizeof hold[dir].buf &&
            rng() % 1000 < reorder_pm) {
            impaired[1]++;
            memcpy(hold[dir].buf, p, len);
            hold[dir].len = len;
            hold[dir].until = now_ms() + 20;
            continue;
        }
        deliver(dir, p, len);
        if (hold[dir].len) {
            size_t hl = hold[dir].len;
            hold[dir].len = 0;
            deliver(dir, hold[dir].buf, hl);
        }
    }
}

static void release_held(uint64_t now)
{
    for (int d = 0; d < 2; d++)
        if (hold[d].len && now >= hold[d].until) {
            size_t hl = hold[d].len;
            hold[d].len = 0;
            deliver(d, hold[d].buf, hl);
        }
}

/* ---- IPv4 wrapper -------------------------------------------------------- */
static uint16_t ip_csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static FILE *trace;

static void trace_pkt(const char *what, const uint8_t *p, size_t len)
{
    if (!trace || len < 40)
        return;
    size_t ihl = (size_t)(p[0] & 15) * 4;
    const uint8_t *t = p + ihl;
    size_t doff = (size_t)(t[12] >> 4) * 4;
    fprintf(trace, "%llu %s %u>%u fl=%02x seq=%u ack=%u win=%u len=%zu\n",
            (unsigned long long)now_ms(), what, t[0] << 8 | t[1], t[2] << 8 | t[3], t[13],
            rd32(t + 4), rd32(t + 8), t[14] << 8 | t[15], len - ihl - doff);
    if (t[13] & 0x02) {
        fprintf(trace, "   opts");
        for (size_t i = 20; i < doff; i++)
            fprintf(trace, " %02x", t[i]);
        fprintf(trace, "\n");
    }
}

static void deliver(int dir, const uint8_t *p, size_t len)
{
    trace_pkt(dir ? "OUT" : "IN ", p, len);
    if (dir == 1) {
        if (write(tun_fd, p, len) < 0 && errno != EAGAIN)
            perror("tun write");
        return;
    }
    /* towards the core: validate the IPv4 header and hand over the segment */
    if (len < 20 || (p[0] >> 4) != 4)
        return;
    size_t ihl = (size_t)(p[0] & 15) * 4, tot = (size_t)(p[2] << 8 | p[3]);
    if (ihl < 20 || tot < ihl || tot > len || ip_csum(p, ihl) != 0 || p[9] != 6)
        return;
    if ((p[6] & 0x3f) || p[7]) /* fragments: not for this harness */
        return;
    tcp_input(&stack, rd32(p + 12), rd32(p + 16), p + ihl, tot - ihl, now_ms());
}

static int tcp_out(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    (void)ctx;
    uint8_t pkt[20 + 60 + APOGEE_TCP_MSS];
    if (len + 20 > sizeof pkt)
        return APG_EMSGSIZE;
    size_t tot = len + 20;
    pkt[0] = 0x45;
    pkt[1] = 0;
    pkt[2] = (uint8_t)(tot >> 8);
    pkt[3] = (uint8_t)tot;
    ip_id++;
    pkt[4] = (uint8_t)(ip_id >> 8);
    pkt[5] = (uint8_t)ip_id;
    pkt[6] = 0x40; /* DF */
    pkt[7] = 0;
    pkt[8] = 64;
    pkt[9] = 6;
    pkt[10] = pkt[11] = 0;
    for (int i = 0; i < 4; i++) {
        pkt[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        pkt[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    uint16_t c = ip_csum(pkt, 20);
    pkt[10] = (uint8_t)(c >> 8);
    pkt[11] = (uint8_t)c;
    memcpy(pkt + 20, seg, len);
    impair(1, pkt, tot);
    return 0;
}

static uint32_t rnd32(void *ctx)
{
    (void)ctx;
    uint32_t v;
    if (getrandom(&v, sizeof v, 0) != sizeof v)
        v = (uint32_t)now_ms() * 2654435761u;
    return v;
}

static void dump_stats(void)
{
    const uint32_t *c = (const uint32_t *)&stack.stats;
    for (size_t i = 0; i < sizeof(counter_names) / sizeof(counter_names[0]); i++)
        printf("STAT %s %u\n", counter_names[i], c[i]);
    printf("STAT impair_dropped %llu\nSTAT impair_reordered %llu\nSTAT impair_duplicated %llu\n",
           (unsigned long long)impaired[0], (unsigned long long)impaired[1],
           (unsigned long long)impaired[2]);
    for (int i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        const struct tcp_sock *k = &stack.socks[i];
        if (!k->used || k->state == TCP_LISTEN)
            continue;
        printf("SOCK %d st=%u una=%u nxt=%u max=%u wnd=%u cwnd=%u ssth=%u rto=%u "
               "trex=%lld rcv_nxt=%u adv=%u rb=%u sb=%u nooo=%u nsack=%u fl=%#x bo=%u\n",
               i, k->state, k->snd_una - k->iss, k->snd_nxt - k->iss, k->snd_max - k->iss,
               k->snd_wnd, k->cwnd, k->ssthresh, k->rto,
               k->t_rexmt ? (long long)(k->t_rexmt - stack.now) : -1LL, k->rcv_nxt - k->irs,
               k->rcv_adv - k->rcv_nxt, k->rb_len, k->sb_len, k->nooo, k->nsack, k->flags,
               k->backoff);
    }
    printf("FREE %d\n", tcp_free_slots(&stack));
    fflush(stdout);
}

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static volatile sig_atomic_t status_flag;
static void on_usr1(int sig)
{
    (void)sig;
    status_flag = 1;
}

/* ---- apps ---------------------------------------------------------------- */
#define MAXC APOGEE_TCP_SOCKETS
static int conns[MAXC];
static int conn_port[MAXC];
static int nconns;
static int listeners[3];

static void serve_step(void)
{
    static const uint16_t ports[3] = {7, 9, 13};
    for (int k = 0; k < 3; k++) {
        int sd;
        while ((sd = tcp_accept(&stack, listeners[k])) >= 0 && nconns < MAXC) {
            conns[nconns] = sd;
            conn_port[nconns++] = ports[k];
        }
    }
    uint8_t buf[8192];
    for (int i = 0; i < nconns; i++) {
        int sd = conns[i];
        int r;
        bool done = false;
        for (;;) {
            size_t room = sizeof buf;
            if (conn_port[i] == 7) {
                room = tcp_send_space(&stack, sd);
                if (room > sizeof buf)
                    room = sizeof buf;
                /* echo back-pressure: read only what can be sent, unless the
                   connection is over (then recv reports how) */
                if (room == 0 && !(tcp_ready(&stack, sd) & (TCP_ERROR | TCP_CLOSED_BIT)))
                    break;
                if (room == 0)
                    room = sizeof buf;
            }
            r = tcp_recv(&stack, sd, buf, room);
            if (r > 0) {
                if (conn_port[i] == 13) {
                    tcp_abort(&stack, sd);
                    done = true;
                    break;
                }
                if (conn_port[i] == 7)
                    tcp_send(&stack, sd, buf, (size_t)r);
                continue;
            }
            if (r == APG_EAGAIN)
                break;
            /* EOF or error: finish (graceful close sends FIN after the echo) */
            tcp_close(&stack, sd);
            done = true;
            break;
        }
        if (done) {
            conns[i] = conns[--nconns];
            conn_port[i] = conn_port[nconns];
            i--;
        }
    }
}

int main(int argc, char **argv)
{
    const char *tun = "apg0", *mode = "serve", *sendf = NULL, *recvf = NULL;
    uint32_t peer = 0, keep_ms = 0, idle_ms = 0;
    uint64_t connected_at = 0;
    uint16_t port = 7;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        struct in_addr a;
        if (!strcmp(k, "--tun"))
            tun = v;
        else if (!strcmp(k, "--mode"))
            mode = v;
        else if (!strcmp(k, "--ip") && inet_aton(v, &a))
            my_ip = ntohl(a.s_addr);
        else if (!strcmp(k, "--peer") && inet_aton(v, &a))
            peer = ntohl(a.s_addr);
        else if (!strcmp(k, "--port"))
            port = (uint16_t)atoi(v);
        else if (!strcmp(k, "--send"))
            sendf = v;
        else if (!strcmp(k, "--recv"))
            recvf = v;
        else if (!strcmp(k, "--loss"))
            loss_pm = (unsigned)(atof(v) * 10);
        else if (!strcmp(k, "--reorder"))
            reorder_pm = (unsigned)(atof(v) * 10);
        else if (!strcmp(k, "--dup"))
            dup_pm = (unsigned)(atof(v) * 10);
        else if (!strcmp(k, "--keepalive"))
            keep_ms = (uint32_t)atoi(v);
        else if (!strcmp(k, "--idle"))
            idle_ms = (uint32_t)atoi(v);
        else if (!strcmp(k, "--trace"))
            trace = fopen(v, "w");
        else if (!strcmp(k, "--seed"))
            rng_state ^= strtoull(v, NULL, 0) * 0x9E3779B97F4A7C15ull;
        else {
            fprintf(stderr, "unknown option %s\n", k);
            return 64;
        }
    }
    tun_fd = open("/dev/net/tun", O_RDWR);
    if (tun_fd < 0) {
        perror("/dev/net/tun");
        return 1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tun);
    if (ioctl(tun_fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        return 1;
    }
    fcntl(tun_fd, F_SETFL, O_NONBLOCK);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_usr1);
    tcp_init(&stack, tcp_out, NULL, rnd32, NULL, my_ip);
    stack.now = now_ms();

    bool client = !strcmp(mode, "client");
    int csd = -1, exit_code = 0;
    FILE *in = NULL, *outf = NULL;
    uint8_t pend[65536];
    size_t pend_len = 0, pend_off = 0;
    bool sent_all = false, announced = false;
    if (client) {
        in = fopen(sendf, "rb");
        outf = fopen(recvf, "wb");
        if (!in || !outf) {
            perror("client files");
            return 1;
        }
        csd = tcp_connect(&stack, peer, port);
        if (csd < 0) {
            fprintf(stderr, "connect: %d\n", csd);
            return 1;
        }
    } else {
        listeners[0] = tcp_listen(&stack, 7, APOGEE_TCP_BACKLOG);
        listeners[1] = tcp_listen(&stack, 9, APOGEE_TCP_BACKLOG);
        listeners[2] = tcp_listen(&stack, 13, APOGEE_TCP_BACKLOG);
    }
    printf("READY\n");
    fflush(stdout);

    uint8_t pkt[65536];
    uint32_t wait = 0;
    uint64_t drain_until = 0;
    for (;;) {
        /* On SIGTERM (or when the client is done) keep running until every
           connection has finished closing, so that FREE shows the pool refilled. */
        if (stop_flag && !drain_until) {
            drain_until = now_ms() + 10000;
            if (client && csd >= 0) {
                fclose(outf);
                fclose(in);
                tcp_close(&stack, csd);
                csd = -1;
            }
        }
        if (drain_until) {
            int busy = 0;
            for (int i = 0; i < APOGEE_TCP_SOCKETS; i++)
                busy += stack.socks[i].used && stack.socks[i].state != TCP_LISTEN &&
                        stack.socks[i].owner != TCP_OWNER_APP;
            if (busy == 0 || now_ms() > drain_until)
                break;
        }
        /* The last turn's app calls may owe segments (window updates): send them
           before sleeping. */
        wait = tcp_poll(&stack, now_ms());
        struct pollfd pfd = {.fd = tun_fd, .events = POLLIN};
        int to = (int)(wait > 5 ? 5 : wait);
        if (hold[0].len || hold[1].len)
            to = to > 2 ? 2 : to;
        poll(&pfd, 1, to);
        for (int burst = 0; burst < 64; burst++) {
            ssize_t n = read(tun_fd, pkt, sizeof pkt);
            if (n <= 0)
                break;
            impair(0, pkt, (size_t)n);
        }
        uint64_t now = now_ms();
        release_held(now);
        wait = tcp_poll(&stack, now);
        if (status_flag) {
            status_flag = 0;
            dump_stats();
        }
        if (!client) {
            serve_step();
            continue;
        }
        if (csd < 0)
            continue;
        int rd = tcp_ready(&stack, csd);
        if ((rd & TCP_CONNECTED) && !announced) {
            const struct tcp_sock *sk = &stack.socks[csd];
            printf("CONNECTED mss=%u snd_ws=%u rcv_ws=%u ts=%d sack=%d\n", sk->mss, sk->snd_ws,
                   sk->rcv_ws, !!(sk->flags & 0x10), !!(sk->flags & 0x08));
            fflush(stdout);
            announced = true;
            connected_at = now;
            if (keep_ms)
                tcp_keepalive(&stack, csd, keep_ms);
        }
        if (rd & TCP_ERROR) {
            printf("ERROR %d\n", tcp_error(&stack, csd));
            exit_code = 2;
            stop_flag = 1;
            continue;
        }
        if (!(rd & TCP_CONNECTED) || now < connected_at + idle_ms)
            continue; /* --idle: stay silent a while first (keepalive tests) */
        while (!sent_all) {
            if (pend_off == pend_len) {
                pend_len = fread(pend, 1, sizeof pend, in);
                pend_off = 0;
                if (pend_len == 0) {
                    sent_all = true;
                    tcp_shutdown(&stack, csd);
                    break;
                }
            }
            int r = tcp_send(&stack, csd, pend + pend_off, pend_len - pend_off);
            if (r <= 0)
                break;
            pend_off += (size_t)r;
        }
        for (;;) {
            int r = tcp_recv(&stack, csd, pkt, sizeof pkt);
            if (r > 0) {
                fwrite(pkt, 1, (size_t)r, outf);
                continue;
            }
            if (r == 0 && sent_all) {
                int st = tcp_state(&stack, csd);
                if (st == TCP_TIME_WAIT || st == TCP_CLOSED) {
                    stop_flag = 1;
                    printf("DONE\n");
                }
            } else if (r < 0 && r != APG_EAGAIN) {
                printf("ERROR %d\n", r);
                exit_code = 2;
                stop_flag = 1;
            }
            break;
        }
    }
    dump_stats();
    return exit_code;
}
