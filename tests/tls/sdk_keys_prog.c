/*
 * sdk_keys_prog.c - our TLS endpoints with keys and certificates that the SDK
 * turned from PEM into C (sdk/keys.py): device_key.h (P-256; with
 * -DSDK_KEYS_RSA device_rsa.h, an RSA key, server only), device_chain.h
 * (leaf + intermediate) and anchors.h (trust anchors).
 *
 *   sdk_keys_prog server        listen on an ephemeral port ("PORT n"), serve one
 *                               connection until the peer closes
 *   sdk_keys_prog client PORT   connect, check the server against anchors
 * Prints "DONE suite=.." or "FAIL err=.. alert_sent=..".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "anchors.h"
#include "apogee/err.h"
#include "device_chain.h"
#ifdef SDK_KEYS_RSA
#include "device_rsa.h"
#include "rsa_private.h"
static struct crypto_rsa_private_ctx rsa_ctx; /* set up once, at start-up */
#else
#include "device_key.h"
#endif
#include "tls.h"
#include "tls_defs.h"
#include "tls_posix.h"

static tls_conn conn;
static tls_posix tp;

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : APG_EIO;
}

int main(int argc, char **argv)
{
    tls_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.rng = rng;
    cfg.chain = device_chain;
    cfg.chain_len = DEVICE_CHAIN_COUNT;
#ifdef SDK_KEYS_RSA
    if (crypto_rsa_private_init(&rsa_ctx, &device_rsa, rng, NULL) < 0)
        return 2;
    cfg.key_scheme = TLS_SIG_RSA_PSS_RSAE_SHA256;
    cfg.rsa = &rsa_ctx;
#else
    cfg.key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256;
    cfg.key = device_key_priv;
#endif
    cfg.anchors = anchors;
    cfg.anchor_count = ANCHORS_COUNT;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int r, fd;
    if (argc > 1 && strcmp(argv[1], "server") == 0) {
        int ls = socket(AF_INET, SOCK_STREAM, 0);
        socklen_t al = sizeof a;
        if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1) < 0)
            return 2;
        getsockname(ls, (struct sockaddr *)&a, &al);
        printf("PORT %u\n", ntohs(a.sin_port));
        fflush(stdout);
        fd = accept(ls, NULL, NULL);
        r = tls_server_init(&conn, &cfg);
    } else if (argc > 2) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        a.sin_port = htons((uint16_t)atoi(argv[2]));
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
            return 2;
        r = tls_client_init(&conn, &cfg, "device.example", (int64_t)time(NULL));
    } else {
        return 2;
    }
    tls_posix_init(&tp, fd, &conn);
    if (r == 0)
        r = tls_posix_handshake(&tp);
    if (r == 0) {
        uint8_t buf[256];
        if (argc > 2)
            r = tls_posix_write(&tp, (const uint8_t *)"ping\n", 5);
        else
            while ((r = tls_posix_read(&tp, buf, sizeof buf)) > 0) {
            }
        if (r == APG_ECLOSED || r > 0)
            r = 0;
        if (r == 0)
            r = tls_posix_close(&tp);
    }
    if (r == 0)
        printf("DONE suite=0x%04x group=0x%04x sig=0x%04x\n", conn.suite, conn.group,
               conn.sig_scheme);
    else
        printf("FAIL err=%d alert_sent=%d alert_rcvd=%d\n", r, tls_alert_sent(&conn),
               tls_alert_received(&conn));
    close(fd);
    return r == 0 ? 0 : 1;
}
