/*
 * tls_tcp_loop.c - our TLS server and client over two netstack/tcp stacks wired
 * back to back in memory (no OS network): the glue of tls_tcp.c end to end.
 *
 *   tls_tcp_loop cert=leaf.der key=key.bin bytes=N [loss=P]
 *
 * Each stack's output callback queues segments for the other; every turn
 * delivers them (dropping one in P when loss is set: TCP retransmits), runs the
 * TCP timers on a virtual clock and pumps both TLS connections. The client
 * sends N bytes, the server echoes them. Prints
 *   "DONE sent=N echoed=N match=1 suite=.. turns=.." or "FAIL ...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apogee/err.h"
#include "tcp.h"
#include "tls.h"
#include "tls_defs.h"
#include "tls_tcp.h"

#define QN 256
#define SEG 1600
typedef struct {
    uint8_t seg[QN][SEG];
    size_t len[QN];
    uint32_t src[QN], dst[QN];
    unsigned head, count;
} queue;

static struct tcp_stack st_srv, st_cli;
static queue to_srv, to_cli;
static tls_conn srv, cli;
static tls_tcp tsrv, tcli;
static uint64_t now;
static uint32_t seed = 12345, loss;

static uint32_t rnd(void *ctx)
{
    (void)ctx;
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static int rng(void *ctx, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)rnd(ctx);
    return 0;
}

static int out(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    queue *q = ctx;
    if (q->count == QN || len > SEG)
        return APG_ENOMEM;
    unsigned i = (q->head + q->count++) % QN;
    memcpy(q->seg[i], seg, len);
    q->len[i] = len;
    q->src[i] = src;
    q->dst[i] = dst;
    return 0;
}

static void deliver(queue *q, struct tcp_stack *to)
{
    unsigned n = q->count;
    while (n--) {
        unsigned i = q->head;
        q->head = (q->head + 1) % QN;
        q->count--;
        if (loss && rnd(NULL) % loss == 0)
            continue;
        tcp_input(to, q->src[i], q->dst[i], q->seg[i], q->len[i], now);
    }
}

static const char *arg(int argc, char **argv, const char *name, const char *dflt)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    return dflt;
}

static uint8_t cert[4096], key[32], data[1 << 20], echo[1 << 20], got[1 << 20];

int main(int argc, char **argv)
{
    FILE *f = fopen(arg(argc, argv, "cert", "cert.der"), "rb");
    if (!f)
        return 2;
    size_t cl = fread(cert, 1, sizeof cert, f);
    fclose(f);
    f = fopen(arg(argc, argv, "key", "key.bin"), "rb");
    if (!f || fread(key, 1, 32, f) != 32)
        return 2;
    fclose(f);
    size_t n = (size_t)atol(arg(argc, argv, "bytes", "100000"));
    if (n > sizeof data)
        n = sizeof data;
    loss = (uint32_t)atoi(arg(argc, argv, "loss", "0"));
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 9));

    const uint32_t ip_srv = 0x0A000001u, ip_cli = 0x0A000002u;
    tcp_init(&st_srv, out, &to_cli, rnd, NULL, ip_srv);
    tcp_init(&st_cli, out, &to_srv, rnd, NULL, ip_cli);
    tls_cert chain[1] = {{cert, (uint16_t)cl}};
    tls_config scfg = {.chain = chain, .chain_len = 1,
                       .key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256, .key = key, .rng = rng};
    tls_config ccfg = {.anchors = chain, .anchor_count = 1, .rng = rng};
    int lsd = tcp_listen(&st_srv, 443, 2);
    int csd = tcp_connect(&st_cli, ip_srv, 443);
    if (lsd < 0 || csd < 0 || tls_client_init(&cli, &ccfg, "localhost", -1) < 0 ||
        tls_server_init(&srv, &scfg) < 0)
        return 2;
    tls_tcp_attach(&tcli, &st_cli, csd, &cli);
    int ssd = -1;
    size_t sent = 0, echoed = 0, rcvd = 0, srv_have = 0;
    int rs = 0, rc = 0, closed = 0;
    unsigned long turns;
    for (turns = 0; turns < 2000000 && !closed; turns++) {
        now++;
        deliver(&to_srv, &st_srv);
        deliver(&to_cli, &st_cli);
        (void)tcp_poll(&st_srv, now);
        (void)tcp_poll(&st_cli, now);
        if (ssd < 0 && (ssd = tcp_accept(&st_srv, lsd)) >= 0)
            tls_tcp_attach(&tsrv, &st_srv, ssd, &srv);
        else if (ssd < 0)
            ssd = -1;
        rc = tls_tcp_pump(&tcli, now);
        if (ssd >= 0)
            rs = tls_tcp_pump(&tsrv, now);
        if ((rc < 0 && rc != APG_ECLOSED) || (rs < 0 && rs != APG_ECLOSED))
            break;
        if (tls_established(&cli) && sent < n) {
            int w = tls_tcp_write(&tcli, data + sent, n - sent, now);
            if (w > 0)
                sent += (size_t)w;
        }
        if (ssd >= 0 && tls_established(&srv)) {
            int r = tls_tcp_read(&tsrv, echo + srv_have, sizeof echo - srv_have, now);
            if (r > 0)
                srv_have += (size_t)r;
            while (echoed < srv_have) {
                int w = tls_tcp_write(&tsrv, echo + echoed, srv_have - echoed, now);
                if (w <= 0)
                    break;
                echoed += (size_t)w;
            }
        }
        int r = tls_tcp_read(&tcli, got + rcvd, sizeof got - rcvd, now);
        if (r > 0)
            rcvd += (size_t)r;
        if (rcvd == n && tls_established(&cli)) {
            while (tls_tcp_close(&tcli, now) == APG_EAGAIN) {
            }
            closed = 1;
        }
    }
    /* Let the close_notify and FINs travel. */
    for (int i = 0; i < 200; i++) {
        now++;
        deliver(&to_srv, &st_srv);
        deliver(&to_cli, &st_cli);
        (void)tcp_poll(&st_srv, now);
        (void)tcp_poll(&st_cli, now);
        if (ssd >= 0)
            rs = tls_tcp_pump(&tsrv, now);
    }
    int match = rcvd == n && memcmp(got, data, n) == 0;
    if (match && rs == APG_ECLOSED)
        printf("DONE sent=%zu echoed=%zu match=1 suite=0x%04x turns=%lu\n", sent, echoed,
               srv.suite, turns);
    else
        printf("FAIL sent=%zu echoed=%zu rcvd=%zu match=%d rc=%d rs=%d alert=%d/%d\n", sent,
               echoed, rcvd, match, rc, rs, tls_alert_sent(&cli), tls_alert_sent(&srv));
    return match ? 0 : 1;
}
