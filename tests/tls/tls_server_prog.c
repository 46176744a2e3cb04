/*
 * tls_server_prog.c - the TLS engine as a loopback server for interop tests.
 *
 *   tls_server_prog cert=leaf.der [cert2=intermediate.der] key=key.bin scheme=ecdsa|ed25519|rsa
 *                   [altcert=leaf2.der altkey=key2.bin altscheme=ecdsa|ed25519|rsa]
 *                   [rsanoinit=1 (leave RSA contexts uninitialised: init must refuse)]
 *                   [suites=MASK] [groups=MASK] [mode=echo|http|hold] [bytes=N]
 *                   [conns=K] [alpn=h2,http/1.1] [ca=anchor.der auth=1|2]
 *                   [keyupdate=1] [tickets=1] [hsms=handshake deadline]
 *
 * Listens on 127.0.0.1 (an ephemeral port, printed as "PORT n" on stdout), then
 * serves K connections one after the other. mode=echo: read exactly N bytes of
 * application data, echoing each piece back, then close_notify. mode=http: read
 * one request with a Content-Length body and answer 200 with the same body.
 * mode=hold: handshake, then read until the peer closes.
 * An ecdsa key file is the 32-byte scalar, an ed25519 one the 32-byte seed, an
 * rsa one the key's n, e, p, q, dP, dQ, qInv, each as a 2-byte big-endian
 * length and the big-endian bytes (tests/tls/tls_util.py writes them). altcert..
 * give the server a second identity (tls_config.alt).
 * For each connection one line on stdout:
 *   "DONE suite=0x1301 group=0x001d sig=0x0804 ident=0 sni=.. alpn=.. recv=N sha256=.." or
 *   "FAIL err=E alert_sent=A alert_rcvd=R".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "apogee/err.h"
#include "ed25519.h"
#include "rsa_private.h"
#include "sha256.h"
#include "tls.h"
#include "tls_defs.h"
#include "tls_posix.h"

static tls_conn conn; /* static, as on a board */
static tls_posix tp;

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : APG_EIO;
}

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint32_t)(ts.tv_sec * 1000u + (uint32_t)(ts.tv_nsec / 1000000));
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static const char *arg(int argc, char **argv, const char *name, const char *dflt)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    return dflt;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static uint8_t buf[65536];

static int rsa_noinit; /* rsanoinit=1: leave the RSA context uninitialised (a test) */

/* One identity from the command line: scheme, key file; RSA keys get their
 * context initialised here, once, as an application does at start-up. */
static int load_key(const char *scheme, const char *path, uint8_t key[64], uint8_t *rsa_file,
                    struct crypto_rsa_private_key *rk, struct crypto_rsa_private_ctx *ctx,
                    tls_identity *id)
{
    if (strcmp(scheme, "rsa") == 0) {
        size_t n = read_file(path, rsa_file, 4096), off = 0;
        const uint8_t **f[7] = {&rk->n, &rk->e, &rk->p, &rk->q, &rk->dp, &rk->dq, &rk->qinv};
        size_t *l[7] = {&rk->n_len, &rk->e_len, &rk->p_len, &rk->q_len, &rk->dp_len,
                        &rk->dq_len, &rk->qinv_len};
        for (int i = 0; i < 7; i++) {
            if (off + 2 > n)
                return 2;
            *l[i] = (size_t)rsa_file[off] << 8 | rsa_file[off + 1];
            *f[i] = rsa_file + off + 2;
            off += 2 + *l[i];
            if (off > n)
                return 2;
        }
        int r = rsa_noinit ? 0 : crypto_rsa_private_init(ctx, rk, rng, NULL);
        if (r < 0) {
            printf("FAIL rsa_init=%d\n", r);
            return 2;
        }
        id->key_scheme = TLS_SIG_RSA_PSS_RSAE_SHA256;
        id->rsa = ctx;
        return 0;
    }
    if (read_file(path, key, 32) != 32)
        return 2;
    if (strcmp(scheme, "ed25519") == 0) {
        uint8_t seed[32];
        memcpy(seed, key, 32);
        crypto_ed25519_keypair(NULL, key, seed);
        id->key_scheme = TLS_SIG_ED25519;
    } else {
        id->key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256;
    }
    id->key = key;
    return 0;
}

static int serve_echo(long want, crypto_sha256_ctx *h, long *got)
{
    while (*got < want) {
        size_t cap = sizeof buf;
        if ((long)cap > want - *got)
            cap = (size_t)(want - *got);
        int r = tls_posix_read(&tp, buf, cap);
        if (r < 0)
            return r;
        crypto_sha256_update(h, buf, (size_t)r);
        *got += r;
        if ((r = tls_posix_write(&tp, buf, (size_t)r)) < 0)
            return r;
    }
    return 0;
}

static int serve_http(crypto_sha256_ctx *h, long *got)
{
    static uint8_t req[1 << 21];
    size_t have = 0, hdr_end = 0;
    long clen = -1;
    for (;;) {
        if (have == sizeof req)
            return APG_EMSGSIZE;
        int r = tls_posix_read(&tp, req + have, sizeof req - have);
        if (r < 0)
            return r;
        have += (size_t)r;
        if (!hdr_end) {
            for (size_t i = 0; i + 3 < have; i++)
                if (memcmp(req + i, "\r\n\r\n", 4) == 0) {
                    hdr_end = i + 4;
                    break;
                }
            if (hdr_end) {
                clen = 0;
                req[hdr_end - 1] = 0;
                const char *cl = strcasestr((const char *)req, "content-length:");
                if (cl)
                    clen = atol(cl + 15);
            }
        }
        if (hdr_end && (long)(have - hdr_end) >= clen)
            break;
    }
    crypto_sha256_update(h, req + hdr_end, (size_t)clen);
    *got = clen;
    char head[128];
    int hn = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\nConnection: close\r\n\r\n", clen);
    int r = tls_posix_write(&tp, (const uint8_t *)head, (size_t)hn);
    if (r == 0)
        r = tls_posix_write(&tp, req + hdr_end, (size_t)clen);
    return r;
}

int main(int argc, char **argv)
{
    static uint8_t cert[8192], cert2[8192], key[64], ca[8192];
    tls_cert anchors[1];
    const char *scheme = arg(argc, argv, "scheme", "ecdsa");
    const char *mode = arg(argc, argv, "mode", "echo");
    long want = atol(arg(argc, argv, "bytes", "0"));
    int conns = atoi(arg(argc, argv, "conns", "1"));
    tls_cert chain[2];
    chain[0].der = cert;
    chain[0].len = (uint16_t)read_file(arg(argc, argv, "cert", "cert.der"), cert, sizeof cert);
    chain[1].der = cert2;
    if (arg(argc, argv, "cert2", NULL))
        chain[1].len = (uint16_t)read_file(arg(argc, argv, "cert2", NULL), cert2, sizeof cert2);
    static uint8_t rsa_file[2][4096], key2[64], altcert[8192];
    static struct crypto_rsa_private_key rsa_key[2];
    static struct crypto_rsa_private_ctx rsa_ctx[2];
    static tls_identity own, alt;
    static tls_cert altchain[1];
    rsa_noinit = atoi(arg(argc, argv, "rsanoinit", "0"));
    if (load_key(scheme, arg(argc, argv, "key", "key.bin"), key, rsa_file[0], &rsa_key[0],
                 &rsa_ctx[0], &own))
        return 2;
    tls_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.chain = chain;
    cfg.chain_len = arg(argc, argv, "cert2", NULL) ? 2 : 1;
    cfg.key_scheme = own.key_scheme;
    cfg.key = own.key;
    cfg.rsa = own.rsa;
    if (arg(argc, argv, "altcert", NULL)) {
        altchain[0].der = altcert;
        altchain[0].len = (uint16_t)read_file(arg(argc, argv, "altcert", NULL), altcert,
                                              sizeof altcert);
        if (load_key(arg(argc, argv, "altscheme", "rsa"), arg(argc, argv, "altkey", "key2.bin"),
                     key2, rsa_file[1], &rsa_key[1], &rsa_ctx[1], &alt))
            return 2;
        alt.chain = altchain;
        alt.chain_len = 1;
        cfg.alt = &alt;
    }
    cfg.suites = (uint8_t)strtoul(arg(argc, argv, "suites", "0"), NULL, 0);
    cfg.groups = (uint8_t)strtoul(arg(argc, argv, "groups", "0"), NULL, 0);
    cfg.rng = rng;
    if (arg(argc, argv, "ca", NULL)) {
        anchors[0].der = ca;
        anchors[0].len = (uint16_t)read_file(arg(argc, argv, "ca", NULL), ca, sizeof ca);
        cfg.anchors = anchors;
        cfg.anchor_count = 1;
    }
    cfg.client_auth = (uint8_t)atoi(arg(argc, argv, "auth", "0"));
    cfg.handshake_ms = (uint32_t)atoi(arg(argc, argv, "hsms", "0"));
    static uint8_t ticket_key[32];
    if (atoi(arg(argc, argv, "tickets", "0"))) {
        (void)rng(NULL, ticket_key, sizeof ticket_key);
        cfg.ticket_key = ticket_key;
    }
    int keyupdate = atoi(arg(argc, argv, "keyupdate", "0"));
    static char alpn_buf[128];
    static const char *alpn[8];
    const char *al = arg(argc, argv, "alpn", NULL);
    if (al) {
        snprintf(alpn_buf, sizeof alpn_buf, "%s", al);
        for (char *s = strtok(alpn_buf, ","); s && cfg.alpn_count < 8; s = strtok(NULL, ","))
            alpn[cfg.alpn_count++] = s;
        cfg.alpn = alpn;
    }

    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al_len = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 4) < 0) {
        perror("listen");
        return 2;
    }
    getsockname(ls, (struct sockaddr *)&a, &al_len);
    printf("PORT %u\nSIZE %zu\n", ntohs(a.sin_port), tls_conn_size());
    fflush(stdout);
    for (int i = 0; i < conns; i++) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0)
            return 2;
        int r = tls_server_init(&conn, &cfg);
        conn.now_ms = now_ms();
        if (r < 0) {
            printf("FAIL init=%d\n", r);
            return 2;
        }
        struct timeval tv = {.tv_sec = 0, .tv_usec = 500000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
        tls_posix_init(&tp, fd, &conn);
        crypto_sha256_ctx h;
        crypto_sha256_init(&h);
        long got = 0;
        conn.unix_time = (int64_t)time(NULL);
        r = tls_posix_handshake(&tp);
        if (r == 0 && keyupdate) {
            while ((r = tls_key_update(&conn, true)) == APG_EAGAIN)
                (void)tls_posix_flush(&tp);
        }
        if (r == 0) {
            if (strcmp(mode, "http") == 0)
                r = serve_http(&h, &got);
            else if (strcmp(mode, "hold") == 0) {
                while ((r = tls_posix_read(&tp, buf, sizeof buf)) > 0)
                    got += r;
                if (r == APG_ECLOSED)
                    r = 0;
            } else
                r = serve_echo(want, &h, &got);
            if (r == 0)
                r = tls_posix_close(&tp);
        }
        if (r == 0) {
            uint8_t d[32];
            char hx[65];
            crypto_sha256_final(&h, d);
            hex(d, 32, hx);
            printf("DONE suite=0x%04x group=0x%04x sig=0x%04x ident=%u sni=%s alpn=%s peercert=%d "
                   "recmax=%u resumed=%d recv=%ld sha256=%s\n",
                   conn.suite, conn.group, conn.sig_scheme, conn.ident, tls_server_name(&conn),
                   tls_alpn(&conn),
                   conn.peer_key_type != 0, conn.peer_rec_max, tls_resumed(&conn), got, hx);
        } else {
            printf("FAIL err=%d alert_sent=%d alert_rcvd=%d\n", r, tls_alert_sent(&conn),
                   tls_alert_received(&conn));
        }
        fflush(stdout);
        shutdown(fd, SHUT_WR);
        /* Let the peer read what was sent before the socket goes away. */
        while (recv(fd, buf, sizeof buf, 0) > 0) {
        }
        close(fd);
        tls_release(&conn);
    }
    close(ls);
    return 0;
}
