/*
 * fuzz_tls.c - libFuzzer harnesses (built with ASan + UBSan by tests/hostc.py):
 *   FUZZ_TARGET=0  server: the input is what a client sends (record layer,
 *                  ClientHello parser, alerts, framing), fed in pieces whose
 *                  sizes come from the input too;
 *   FUZZ_TARGET=1  client: the input is what a server answers to our
 *                  ClientHello (ServerHello and HelloRetryRequest parsing);
 *   FUZZ_TARGET=2  X.509: the input is a certificate, parsed, name-matched and
 *                  validated as a chain against itself and a fixed anchor;
 *   FUZZ_TARGET=3  client again, built with TLS_FUZZ_UNSAFE_NULL_AEAD (records
 *                  carry plaintext and a zero tag), so the input reaches
 *                  EncryptedExtensions, CertificateRequest, Certificate (and the
 *                  X.509 code through it), CertificateVerify and Finished.
 * The random source is a counter, so every run is reproducible.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "apogee/err.h"
#include "tls.h"
#include "tls_defs.h"
#include "tls_x509.h"
#if FUZZ_TARGET == 3
#include "fuzz_anchor.h" /* written by test_fuzz.py: the seed's certificate */
#endif

static tls_conn conn;
static uint32_t ctr;

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(++ctr * 2654435761u >> 24);
    return 0;
}

/* A P-256 key and a self-signed certificate would be needed for a real
 * handshake; the server harness only needs the flight to be buildable, so a
 * placeholder certificate is enough (it is sent, never parsed here). */
static const uint8_t fake_cert[64] = {0x30, 0x3e};
static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static __attribute__((unused)) void drain(void)
{
    const uint8_t *p;
    size_t n;
    while ((n = tls_output(&conn, &p)) > 0)
        tls_output_done(&conn, n);
}

static __attribute__((unused)) void feed(const uint8_t *data, size_t size)
{
    uint8_t buf[64];
    size_t off = 0;
    while (off < size) {
        /* one byte picks the piece size: records get split anywhere */
        size_t piece = 1 + data[off++] % 200;
        if (piece > size - off)
            piece = size - off;
        size_t used = 0;
        while (used < piece) {
            int r = tls_input(&conn, data + off + used, piece - used, 0);
            drain();
            if (r < 0)
                return;
            used += (size_t)r;
            while (tls_read(&conn, buf, sizeof buf) > 0) {
            }
            if (r == 0 && conn.app_len == 0)
                break;
        }
        off += piece;
        if (tls_established(&conn))
            (void)tls_write(&conn, (const uint8_t *)"x", 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tls_cert chain[1] = {{fake_cert, sizeof fake_cert}};
    tls_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.chain = chain;
    cfg.chain_len = 1;
    cfg.key_scheme = TLS_SIG_ECDSA_SECP256R1_SHA256;
    cfg.key = key;
    cfg.rng = rng;
    cfg.anchors = chain;
    cfg.anchor_count = 1;
    ctr = 0;
#if FUZZ_TARGET == 0
    cfg.alpn = (const char *const[]){"h2", "http/1.1"};
    cfg.alpn_count = 2;
    if (tls_server_init(&conn, &cfg) != APG_OK)
        __builtin_trap();
    feed(data, size);
    tls_release(&conn);
#elif FUZZ_TARGET == 1 || FUZZ_TARGET == 3
#if FUZZ_TARGET == 3
    static const tls_cert anchor[1] = {{fuzz_anchor, sizeof fuzz_anchor}};
    cfg.anchors = anchor; /* the seed's chain is trusted: CertificateVerify is reached */
#endif
    if (tls_client_init(&conn, &cfg, "localhost", -1) != APG_OK)
        __builtin_trap();
    drain();
    feed(data, size);
    tls_release(&conn);
#else
    x509_cert c, leaf;
    tls_rd chain_rd[2] = {{data, size}, {data, size / 2}};
    tls_rd anchor_rd[2] = {{data, size}, {fake_cert, sizeof fake_cert}};
    if (x509_parse(&c, data, size) == APG_OK) {
        (void)x509_match_name(&c, "localhost");
        (void)x509_match_name(&c, "127.0.0.1");
        (void)x509_match_name(&c, "::1");
        (void)x509_check_signature(&c, &c);
    }
    (void)x509_verify_chain(chain_rd, 2, anchor_rd + 1, 1, 1700000000, "a.example",
                            X509_PURPOSE_SERVER, &leaf);
    (void)x509_verify_chain(chain_rd, 1, anchor_rd, 1, -1, NULL, X509_PURPOSE_CLIENT, &leaf);
#endif
    return 0;
}
