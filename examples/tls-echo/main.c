/*
 * tls-echo: TLS 1.3 echo server on port 4433.
 *
 * One main loop, run to completion: the network backend hands frames to the
 * stack, the stack runs TCP, and each connection's TLS engine is pumped through
 * the TCP glue (tls_tcp). Everything is static; a connection that fails (bad
 * peer, handshake timeout) frees its slot and is counted.
 *
 * Native options: --ip=A.B.C.D/LEN for a static address (else DHCP),
 * --tap=IFNAME. Console: "quit" ends the run.
 */
#include <stdio.h>
#include <string.h>

#include "apogee/err.h"
#include "apogee/hal.h"
#include "device_chain.h"
#include "device_key.h"
#include "net_api.h"
#include "net_tap.h"
#include "random.h"
#include "tls.h"
#include "tls_defs.h"
#include "tls_tcp.h"

#define PORT 4433u

struct session {
    int sd; /* TCP socket, -1: free */
    tls_conn tls;
    tls_tcp glue;
    /* Bytes read but not yet taken by tls_tcp_write (its send ring was full):
     * nothing more is read until they are gone, so the echo never drops data. */
    uint8_t pending[2048];
    size_t pend_off, pend_len;
};

static struct net_app net;
static struct net_tap tap;
static crypto_random drbg;
static struct session sessions[APOGEE_TLS_CONNECTIONS];
static unsigned served, failed;

static uint64_t now_ms(void)
{
    return hal_clock_us() / 1000u;
}

static int rng(void *ctx, uint8_t *out, size_t len)
{
    return crypto_random_bytes(ctx, out, len);
}

static uint32_t random32(void *ctx)
{
    uint32_t v = 0;
    (void)ctx;
    (void)crypto_random_bytes(&drbg, &v, sizeof v);
    return v;
}

static const tls_config config = {
    .chain = device_chain,
    .chain_len = DEVICE_CHAIN_COUNT,
    .key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256,
    .key = device_key_priv,
    .rng = rng,
    .rng_ctx = &drbg,
};

static void say(const char *s)
{
    hal_console_write(s, strlen(s));
}

static void finish(struct session *s, int result)
{
    char line[96];
    if (result == APG_ECLOSED) {
        served++;
    } else {
        failed++;
    }
    snprintf(line, sizeof line, "tls-echo: connection closed (%d), served %u, failed %u\n",
             result, served, failed);
    say(line);
    if (result != APG_ECLOSED) {
        net_tcp_close(&net, s->sd);
    } else {
        (void)tls_tcp_close(&s->glue, now_ms());
    }
    s->sd = -1;
}

static void accept_new(int lh)
{
    int sd;
    while ((sd = net_tcp_accept(&net, lh)) >= 0) {
        struct session *free_slot = NULL;
        for (unsigned i = 0; i < APOGEE_TLS_CONNECTIONS && free_slot == NULL; i++) {
            free_slot = sessions[i].sd < 0 ? &sessions[i] : NULL;
        }
        if (free_slot == NULL || tls_server_init(&free_slot->tls, &config) < 0) {
            net_tcp_close(&net, sd); /* every slot busy: refuse, counted */
            failed++;
            continue;
        }
        free_slot->sd = sd;
        free_slot->pend_len = 0;
        tls_tcp_attach(&free_slot->glue, &net.tcp, sd, &free_slot->tls);
    }
}

static void serve(struct session *s)
{
    uint64_t now = now_ms();
    while (s->pend_len > 0) {
        int w = tls_tcp_write(&s->glue, s->pending + s->pend_off, s->pend_len, now);
        if (w == APG_EAGAIN || w == 0) {
            return; /* the send ring is full: try again next turn */
        }
        if (w < 0) {
            finish(s, w);
            return;
        }
        s->pend_off += (size_t)w;
        s->pend_len -= (size_t)w;
    }
    int n = tls_tcp_read(&s->glue, s->pending, sizeof s->pending, now);
    if (n > 0) {
        s->pend_off = 0;
        s->pend_len = (size_t)n;
        return;
    }
    if (n != APG_EAGAIN) {
        finish(s, n);
        return;
    }
    int p = tls_poll(&s->tls, (uint32_t)now);
    if (p < 0 && p != APG_EAGAIN) {
        finish(s, p);
    }
}

int app_main(void)
{
    static const char pers[] = "apogee tls-echo";
    if (crypto_random_init(&drbg, pers, sizeof pers - 1) != APG_OK) {
        say("tls-echo: no entropy\n");
        return 1;
    }
    net_app_init(&net, random32, NULL);
    if (net_tap_open(&tap, &net.net, now_ms()) != APG_OK) {
        return 1;
    }
    struct net_ipconfig cfg = {0};
    const char *ip = native_option("ip");
    unsigned a, b, c, d, len = 24;
    if (ip != NULL && sscanf(ip, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len) >= 4 && len <= 32) {
        cfg.addr = (a << 24) | (b << 16) | (c << 8) | d;
        cfg.mask = len ? 0xFFFFFFFFu << (32 - len) : 0;
        net_config_static(&net, &cfg);
    } else {
        net_config_dhcp(&net, NULL, 0);
    }
    for (unsigned i = 0; i < APOGEE_TLS_CONNECTIONS; i++) {
        sessions[i].sd = -1;
    }
    int lh = net_tcp_listen(&net, PORT, APOGEE_TCP_BACKLOG);
    if (lh < 0) {
        say("tls-echo: cannot listen\n");
        return 3;
    }
    int announced = 0;
    int ready = NET_TAP_CONSOLE;
    for (;;) {
        net_tap_receive(&tap, now_ms());
        uint32_t wait = net_app_poll(&net, now_ms());
        struct net_ipconfig cur;
        if (!announced && net_config_get(&net, &cur) == APG_OK) {
            char line[64];
            snprintf(line, sizeof line, "tls-echo: listening on %u.%u.%u.%u:%u\n",
                     (unsigned)(cur.addr >> 24), (unsigned)(cur.addr >> 16) & 255u,
                     (unsigned)(cur.addr >> 8) & 255u, (unsigned)cur.addr & 255u, PORT);
            say(line);
            announced = 1;
        }
        accept_new(lh);
        for (unsigned i = 0; i < APOGEE_TLS_CONNECTIONS; i++) {
            if (sessions[i].sd >= 0) {
                serve(&sessions[i]);
            }
        }
        if (ready & NET_TAP_CONSOLE) {
            int ch;
            while ((ch = hal_console_getc()) >= 0) {
                if (ch == 'q') {
                    return 0;
                }
            }
        }
        wait = net_app_poll(&net, now_ms());
        ready = net_tap_wait(&tap, wait > 50 ? 50 : wait);
    }
}
