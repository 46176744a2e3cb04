/*
 * tls_client_prog.c - the TLS engine as a client for interop tests.
 *
 *   tls_client_prog port=P name=localhost ca=anchor.der [ca2=..] [data=file]
 *                   [mode=echo|swap] [suites=MASK] [groups=MASK] [alpn=a,b]
 *                   [cert=client.der key=client.key scheme=ecdsa|ed25519]
 *                   [time=UNIX] [keyupdate=1] [session=file]
 *
 * Connects to 127.0.0.1:P. mode=echo: send data in 16 KiB pieces, reading the
 * echo of each before the next (an echo server); mode=swap: send all of data,
 * then read as many bytes back (a server that sends its own). Then
 * close_notify. Prints one line:
 *   "DONE suite=0x1301 group=0x001d alpn=.. recv=N sha256=.." or
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
#include "sha256.h"
#include "tls.h"
#include "tls_defs.h"
#include "tls_posix.h"

static tls_conn conn;
static tls_session session;
static tls_posix tp;
static uint8_t data[1 << 21], rbuf[1 << 21];

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : APG_EIO;
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

static int read_n(size_t want, size_t *got)
{
    while (*got < want) {
        int r = tls_posix_read(&tp, rbuf + *got, want - *got);
        if (r < 0)
            return r;
        *got += (size_t)r;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static uint8_t ca[2][8192], cert[8192], key[64];
    tls_cert anchors[2], chain[1];
    tls_config cfg;
    memset(&cfg, 0, sizeof cfg);
    anchors[0].der = ca[0];
    anchors[0].len = (uint16_t)read_file(arg(argc, argv, "ca", "ca.der"), ca[0], sizeof ca[0]);
    cfg.anchor_count = 1;
    if (arg(argc, argv, "ca2", NULL)) {
        anchors[1].der = ca[1];
        anchors[1].len = (uint16_t)read_file(arg(argc, argv, "ca2", NULL), ca[1], sizeof ca[1]);
        cfg.anchor_count = 2;
    }
    cfg.anchors = anchors;
    cfg.rng = rng;
    cfg.suites = (uint8_t)strtoul(arg(argc, argv, "suites", "0"), NULL, 0);
    cfg.groups = (uint8_t)strtoul(arg(argc, argv, "groups", "0"), NULL, 0);
    if (arg(argc, argv, "cert", NULL)) {
        chain[0].der = cert;
        chain[0].len = (uint16_t)read_file(arg(argc, argv, "cert", NULL), cert, sizeof cert);
        cfg.chain = chain;
        cfg.chain_len = 1;
        if (read_file(arg(argc, argv, "key", "key.bin"), key, 32) != 32)
            return 2;
        if (strcmp(arg(argc, argv, "scheme", "ecdsa"), "ed25519") == 0) {
            uint8_t seed[32];
            memcpy(seed, key, 32);
            crypto_ed25519_keypair(NULL, key, seed);
            cfg.key_scheme = TLS_SIG_ED25519;
        } else {
            cfg.key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256;
        }
        cfg.key = key;
    }
    static char alpn_buf[128];
    static const char *alpn[8];
    const char *al = arg(argc, argv, "alpn", NULL);
    if (al) {
        snprintf(alpn_buf, sizeof alpn_buf, "%s", al);
        for (char *s = strtok(alpn_buf, ","); s && cfg.alpn_count < 8; s = strtok(NULL, ","))
            alpn[cfg.alpn_count++] = s;
        cfg.alpn = alpn;
    }
    size_t n = 0;
    if (arg(argc, argv, "data", NULL))
        n = read_file(arg(argc, argv, "data", NULL), data, sizeof data);
    const char *mode = arg(argc, argv, "mode", "echo");
    int64_t now = arg(argc, argv, "time", NULL) ? atoll(arg(argc, argv, "time", NULL))
                                                : (int64_t)time(NULL);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)atoi(arg(argc, argv, "port", "0")))};
    struct timeval tv = {.tv_sec = 1};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("connect");
        return 2;
    }
    const char *sessfile = arg(argc, argv, "session", NULL);
    if (sessfile) {
        FILE *f = fopen(sessfile, "rb");
        if (f) {
            if (fread(&session, 1, sizeof session, f) != sizeof session)
                memset(&session, 0, sizeof session);
            fclose(f);
        }
    }
    struct timespec mono;
    clock_gettime(CLOCK_REALTIME, &mono); /* the session file outlives this process */
    uint32_t ms = (uint32_t)(mono.tv_sec * 1000u + (uint32_t)(mono.tv_nsec / 1000000));
    int r = tls_client_init_session(&conn, &cfg, arg(argc, argv, "name", "localhost"), now,
                                    sessfile ? &session : NULL, ms);
    size_t got = 0;
    if (r == 0) {
        tls_posix_init(&tp, fd, &conn);
        r = tls_posix_handshake(&tp);
    }
    int resumed = tls_resumed(&conn);
    if (r == 0 && atoi(arg(argc, argv, "keyupdate", "0"))) {
        while ((r = tls_key_update(&conn, true)) == APG_EAGAIN)
            (void)tls_posix_flush(&tp);
    }
    if (r == 0) {
        if (strcmp(mode, "swap") == 0) {
            r = tls_posix_write(&tp, data, n);
            if (r == 0)
                r = read_n(n, &got);
        } else {
            for (size_t off = 0; off < n && r == 0;) {
                size_t k = n - off < 16384 ? n - off : 16384;
                r = tls_posix_write(&tp, data + off, k);
                off += k;
                if (r == 0)
                    r = read_n(off, &got);
            }
        }
        if (r == 0)
            r = tls_posix_close(&tp);
    }
    if (r == 0) {
        uint8_t d[32];
        crypto_sha256(rbuf, got, d);
        printf("DONE suite=0x%04x group=0x%04x alpn=%s resumed=%d ticket=%u recv=%zu sha256=",
               conn.suite, conn.group, tls_alpn(&conn), resumed, session.ticket_len, got);
        for (int i = 0; i < 32; i++)
            printf("%02x", d[i]);
        printf("\n");
    } else {
        printf("FAIL err=%d alert_sent=%d alert_rcvd=%d\n", r, tls_alert_sent(&conn),
               tls_alert_received(&conn));
    }
    close(fd);
    if (sessfile && r == 0 && session.ticket_len) {
        FILE *f = fopen(sessfile, "wb");
        if (f) {
            fwrite(&session, 1, sizeof session, f);
            fclose(f);
        }
    }
    return r == 0 ? 0 : 1;
}
