/*
 * tls.h - a TLS 1.3 (RFC 8446) endpoint in caller-owned static memory.
 *
 * Sans-IO: the engine never touches a socket. The caller moves bytes:
 *
 *     tls_server_init(&conn, &cfg);      (or tls_client_init / _init_session)
 *     loop:
 *       n = recv(...);  tls_input(&conn, buf, n, now_ms)  (feed until all consumed;
 *                       or receive straight into tls_input_space + tls_input_commit)
 *       while ((len = tls_output(&conn, &p)) > 0) { send(p, len); tls_output_done(&conn, len); }
 *       tls_read(&conn, app, sizeof app) / tls_write(&conn, data, len)
 *       tls_poll(&conn, now_ms)           (the handshake deadline)
 *
 * tls_tcp.h does this loop over a netstack/tcp socket.
 *
 * Memory: everything lives in tls_conn (sizeof reported by tls_conn_size()); no
 * heap, no globals. The receive buffer holds exactly one record:
 * APOGEE_TLS_RECORD_MAX bytes of content plus header, type byte, tag and (for
 * full-size records) the 255 bytes of padding a peer may add. Application data
 * is decrypted in place there and tls_read() copies it out. The transmit buffer
 * (APOGEE_TLS_TX_BUF) holds outgoing records until the caller has sent them; the
 * server's first flight (ServerHello .. Finished, with the certificate chain)
 * must fit in it, which tls_server_init() checks.
 *
 * Errors: a fatal protocol error queues the alert the RFC requires (send what
 * tls_output() still returns, then close the transport), moves the connection
 * to TLS_ST_FAILED and makes every later call return the same error; the
 * alert sent or received is in tls_alert_sent()/tls_alert_received().
 */
#ifndef TLS_H
#define TLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls_keys.h"
#include "tls_record.h"

/* Largest record content this endpoint receives (bytes, 64..16384). A value
 * below 16384 is advertised with record_size_limit (RFC 8449); a peer that does
 * not support it and sends a larger record gets record_overflow. */
#ifndef APOGEE_TLS_RECORD_MAX
#define APOGEE_TLS_RECORD_MAX 16384u
#endif
/* Transmit buffer bytes: the first flight must fit (about 400 bytes plus the
 * certificate chain); application records are cut to what is free. */
#ifndef APOGEE_TLS_TX_BUF
#define APOGEE_TLS_TX_BUF 2048u
#endif
/* Reassembly room for a handshake message split over several records (a
 * message inside one record is parsed in place and needs none). With small
 * records the peer's Certificate message is always split: it must fit here,
 * hence the larger default below 4 KiB records. */
#ifndef APOGEE_TLS_HS_BUF
#define APOGEE_TLS_HS_BUF (APOGEE_TLS_RECORD_MAX >= 4096u ? 512u : 2048u)
#endif
/* Longest server name (SNI) kept for the application; longer names are
 * accepted but truncated in tls_server_name(). */
#ifndef APOGEE_TLS_SNI_MAX
#define APOGEE_TLS_SNI_MAX 64u
#endif
#ifndef APOGEE_TLS_ALPN_MAX
#define APOGEE_TLS_ALPN_MAX 16u
#endif
/* Largest peer public key kept between its Certificate and
 * CertificateVerify messages: 65 for P-256, 32 for Ed25519, modulus + exponent
 * for RSA (264 covers RSA-2048 with a 4-byte exponent; 520 for RSA-4096). */
#ifndef APOGEE_TLS_PEER_KEY_MAX
#define APOGEE_TLS_PEER_KEY_MAX 264u
#endif
/* Most certificates accepted in the peer's chain. */
#ifndef APOGEE_TLS_CHAIN_MAX
#define APOGEE_TLS_CHAIN_MAX 4u
#endif

/* Client: largest session ticket kept for resumption (OpenSSL's are about
 * 200 bytes; ours 83 or 99). */
#ifndef APOGEE_TLS_TICKET_MAX
#define APOGEE_TLS_TICKET_MAX 256u
#endif
/* Server: ticket lifetime announced and enforced (RFC 8446 allows 7 days). */
#ifndef APOGEE_TLS_TICKET_LIFETIME_S
#define APOGEE_TLS_TICKET_LIFETIME_S 7200u
#endif

#if APOGEE_TLS_RECORD_MAX < 64u || APOGEE_TLS_RECORD_MAX > 16384u
#error "APOGEE_TLS_RECORD_MAX must be 64..16384"
#endif

/* Receive buffer: header + content + type + tag (+255 padding at full size,
 * which RFC 8446 5.2 allows: ciphertext up to 2^14 + 256). */
#define TLS_RX_BUF                                                                      \
    (5u + (APOGEE_TLS_RECORD_MAX >= 16384u ? 16384u + 256u : APOGEE_TLS_RECORD_MAX + 17u))

/* Cipher-suite and group masks for tls_config (0 means all). */
#define TLS_SUITE_AES_128_GCM 0x01u
#define TLS_SUITE_AES_256_GCM 0x02u
#define TLS_SUITE_CHACHA20 0x04u
#define TLS_GROUPMASK_X25519 0x01u
#define TLS_GROUPMASK_P256 0x02u

/* What the image contains; an application that needs less links less (the
 * linker drops what no code path can reach). */
#ifndef APOGEE_TLS_SUITES /* TLS_SUITE_* compiled in */
#define APOGEE_TLS_SUITES 0x07u
#endif
#ifndef APOGEE_TLS_GROUPS /* TLS_GROUPMASK_* compiled in */
#define APOGEE_TLS_GROUPS 0x03u
#endif
#ifndef APOGEE_TLS_ED25519 /* our own Ed25519 keys (server or client identity) */
#define APOGEE_TLS_ED25519 1
#endif
/* A server's RSA keys (RSA-PSS CertificateVerify, rsa_sign.h): off unless
 * asked for, as it links rsa_private.c + rsa_sign.c + bignum (about 6 KiB of
 * Cortex-M flash, docs/tls.md) and the key needs a 5.5..11 KiB context. */
#ifndef APOGEE_TLS_RSA
#define APOGEE_TLS_RSA 0
#endif
#ifndef APOGEE_TLS_CLIENT_AUTH /* a server asking for client certificates (X.509) */
#define APOGEE_TLS_CLIENT_AUTH 1
#endif
/* A handshake not finished this long after its first byte is abandoned by
 * tls_poll(), so a silent or slow peer cannot hold a connection slot. */
#ifndef APOGEE_TLS_HANDSHAKE_MS
#define APOGEE_TLS_HANDSHAKE_MS 30000u
#endif
#ifndef APOGEE_TLS_TICKETS /* session tickets and PSK resumption */
#define APOGEE_TLS_TICKETS 1
#endif
/* X25519 public keys by the Montgomery ladder instead of the Ed25519 comb:
 * about 6 KiB less flash, about 0.5 M more instructions per handshake. */
#ifndef APOGEE_TLS_X25519_LADDER_KEYGEN
#define APOGEE_TLS_X25519_LADDER_KEYGEN 0
#endif

/* Random source: fill out[0..len) with unpredictable bytes; return 0, or a
 * negative APG_E* code (the handshake then fails with internal_error). */
typedef int (*tls_rng_fn)(void *ctx, uint8_t *out, size_t len);

typedef struct {
    const uint8_t *der;
    uint16_t len;
} tls_cert;

/* rsa_private.h: an RSA private key's working context. */
struct crypto_rsa_private_ctx;

/* One certificate chain (leaf first) and the leaf's private key, as in
 * tls_config below; a server's second identity (tls_config.alt). */
typedef struct {
    const tls_cert *chain;
    uint8_t chain_len;
    uint16_t key_scheme; /* as tls_config.key_scheme */
    const uint8_t *key;  /* P-256 or Ed25519 keys */
    struct crypto_rsa_private_ctx *rsa; /* RSA keys */
} tls_identity;

/* Client: what resumption needs, kept by the application between connections
 * (RAM or any storage; the psk is a secret). Filled from the server's
 * NewSessionTicket; valid when ticket_len > 0. */
typedef struct {
    uint16_t suite;
    uint8_t psk_len;
    uint8_t psk[48];
    uint32_t lifetime_s, age_add, received_ms;
    uint16_t ticket_len;
    uint8_t ticket[APOGEE_TLS_TICKET_MAX];
} tls_session;

typedef struct {
    /* The certificate chain, leaf first, and the leaf's private key (a server's
     * identity; a client's for mutual TLS, or none). */
    const tls_cert *chain;
    uint8_t chain_len;
    uint16_t key_scheme; /* TLS_SIG_ECDSA_SECP256R1_SHA256: key = 32-byte scalar;
                            TLS_SIG_ED25519: key = 64-byte secret key (ed25519.h);
                            TLS_SIG_RSA_PSS_RSAE_SHA256 (server only, with
                            APOGEE_TLS_RSA 1): an RSA key
                            of 2048..4096 bits in rsa, key unused; it signs with
                            rsa_pss_rsae_sha256, else rsa_pss_rsae_sha384, as the
                            client offers (rsa_pkcs1_* never: RFC 8446 4.2.3) */
    const uint8_t *key;
    /* RSA key: a context the application initialised once at start-up with
     * crypto_rsa_private_init (rsa_private.h; its rng is used for blinding and
     * PSS salts, normally the same source as rng below). Shared by every
     * connection: handshakes are signed one at a time, on the caller's thread. */
    struct crypto_rsa_private_ctx *rsa;
    /* Server: a second identity (NULL: none), typically an RSA certificate
     * beside an ECDSA one. Per ClientHello the server takes the first identity,
     * in the order (this config's own, then alt), whose key has a signature
     * scheme in the client's signature_algorithms, preferring one whose leaf
     * certificate's own signature algorithm the client lists in
     * signature_algorithms_cert (or signature_algorithms when that is absent;
     * this preference only with APOGEE_TLS_RSA, as it parses our leaves);
     * no usable key: handshake_failure. */
    const tls_identity *alt;
    uint8_t suites; /* TLS_SUITE_* mask, 0 = all (server order: AES-128, ChaCha, AES-256) */
    uint8_t groups; /* TLS_GROUPMASK_* mask, 0 = all (order: x25519, P-256) */
    /* ALPN protocols in preference order (NUL-terminated strings), or NULL. */
    const char *const *alpn;
    uint8_t alpn_count;
    tls_rng_fn rng;
    void *rng_ctx;
    /* Trust anchors (DER certificates): a client checks the server's chain
     * against them; a server asking for client certificates, the client's. */
    const tls_cert *anchors;
    uint8_t anchor_count;
    /* Server: TLS_CLIENT_AUTH_NONE, _REQUEST (an empty answer is accepted) or
     * _REQUIRE (certificate_required otherwise): mutual TLS. */
    uint8_t client_auth;
    /* Server: 32-byte key that seals session tickets (NULL: no tickets, no
     * resumption). Rotate it to revoke every ticket issued under it. */
    const uint8_t *ticket_key;
    /* Handshake deadline in ms (0: APOGEE_TLS_HANDSHAKE_MS). */
    uint32_t handshake_ms;
} tls_config;

#define TLS_CLIENT_AUTH_NONE 0u
#define TLS_CLIENT_AUTH_REQUEST 1u
#define TLS_CLIENT_AUTH_REQUIRE 2u

enum tls_state {
    TLS_ST_IDLE = 0,
    TLS_ST_WAIT_CH,      /* server: waiting for ClientHello */
    TLS_ST_WAIT_CH2,     /* server: HelloRetryRequest sent */
    TLS_ST_WAIT_FINISHED,/* server: flight sent, waiting for the client's Finished */
    TLS_ST_WAIT_CCERT,   /* server: waiting for the client's Certificate */
    TLS_ST_WAIT_CCV,     /* server: waiting for the client's CertificateVerify */
    TLS_ST_C_WAIT_SH,    /* client: ClientHello sent */
    TLS_ST_C_WAIT_EE,
    TLS_ST_C_WAIT_CERT,  /* Certificate or CertificateRequest */
    TLS_ST_C_WAIT_CV,
    TLS_ST_C_WAIT_FIN,
    TLS_ST_CONNECTED,
    TLS_ST_CLOSED,       /* close_notify received (and ours queued) */
    TLS_ST_FAILED,
};

typedef struct tls_conn tls_conn;
typedef int (*tls_msg_fn)(tls_conn *c, const uint8_t *msg, size_t len);

struct tls_conn {
    const tls_config *cfg;
    tls_msg_fn on_message; /* the role's handshake (set by the init function) */
    uint8_t state;         /* enum tls_state */
    uint8_t hash_alg;      /* TLS_HASH_* of the suite */
    uint8_t alert_sent;    /* 0xFF: none */
    uint8_t alert_rcvd;    /* 0xFF: none */
    uint16_t suite, group, sig_scheme;
    int err;               /* sticky error once failed */
    uint8_t flags;
    uint8_t client;        /* 1: this end is the client */
    uint8_t ident;         /* server: 1 when cfg->alt is the identity in use */
    uint8_t cflags;        /* client: TLS_CF_* (tls_internal.h) */
    uint8_t sni_len, alpn_len;
    uint16_t peer_rec_max; /* largest content we may send (peer's limit) */
    uint32_t early_skip;   /* early-data bytes skipped so far */
    tls_hash transcript;
    uint8_t hs_secret[TLS_HASH_MAX];  /* handshake, then master secret */
    uint8_t c_secret[TLS_HASH_MAX];   /* client traffic secret in use */
    uint8_t c_next[TLS_HASH_MAX];     /* client app secret, until its Finished */
    uint8_t s_secret[TLS_HASH_MAX];   /* server traffic secret in use */
    tls_aead rd, wr;
    /* Client only, during the handshake: */
    tls_hash transcript2;  /* SHA-384 twin of transcript until the suite is known */
    const char *peer_name; /* expected server name (caller's string) */
    uint8_t kx_priv[32];   /* ephemeral private key of the share offered */
    /* Both, when the peer presents a certificate: */
    int64_t unix_time;     /* for certificate validity; < 0: not checked */
    uint8_t peer_key_type; /* x509_key of the peer's leaf; 0: none presented */
    uint16_t peer_key_len, peer_rsa_n_len;
    /* Resumption: */
    tls_session *session;  /* client: offered, and refreshed by tickets */
    uint8_t psk_len;       /* 0: full handshake; else the PSK is in c_next (server,
                              until the early secret is made) or in *session */
    uint32_t now_ms;       /* the clock of the last tls_input / init */
    uint32_t hs_start_ms;  /* first input of the handshake (TLS_F_STARTED) */
    /* receive: rx[0..rx_have) one record being assembled; after a record of
     * application data is opened, app_off/app_len is its unread content. */
    size_t rx_have, app_off, app_len;
    size_t hs_have; /* bytes of a split handshake message in hs */
    /* transmit: tx[tx_off..tx_len) not yet taken by the caller */
    size_t tx_off, tx_len;
    /* The byte arrays last, so the size is a plain sum (tls_sizes.py): */
    uint8_t peer_key[APOGEE_TLS_PEER_KEY_MAX];
    char sni[APOGEE_TLS_SNI_MAX + 1];
    char alpn[APOGEE_TLS_ALPN_MAX + 1];
    uint8_t rx[TLS_RX_BUF];
    uint8_t tx[APOGEE_TLS_TX_BUF];
    uint8_t hs[APOGEE_TLS_HS_BUF];
};

/* Prepare conn as a server with cfg (which must outlive conn). With client
 * authentication, client certificates are checked against cfg->anchors at
 * unix_time (set c->unix_time after init; default -1: not checked). Returns APG_OK;
 * APG_EINVAL for a missing rng, key or chain, an unsupported key_scheme, or an
 * RSA key_scheme without an initialised rsa context (of either identity);
 * APG_EMSGSIZE if a chain and its CertificateVerify cannot fit the transmit
 * buffer. */
int tls_server_init(tls_conn *c, const tls_config *cfg);

/* Prepare conn as a client and queue its ClientHello. server_name is the name
 * (or IP literal) the server's certificate must carry, sent as SNI when it is a
 * DNS name; it must outlive the handshake. unix_time is the current time for
 * certificate validity (seconds since 1970; negative: not checked). Returns
 * APG_OK, APG_EINVAL (no rng or anchors, bad name) or an rng error. */
int tls_client_init(tls_conn *c, const tls_config *cfg, const char *server_name,
                    int64_t unix_time);

/* The same, offering to resume the session s (if s->ticket_len > 0 and its
 * suite is allowed), and storing any ticket the server sends into s. now_ms is
 * the clock tls_input() gets (ticket ages are measured with it). */
int tls_client_init_session(tls_conn *c, const tls_config *cfg, const char *server_name,
                            int64_t unix_time, tls_session *s, uint32_t now_ms);
/* This handshake was a resumption (PSK accepted). */
static inline bool tls_resumed(const tls_conn *c) { return c->psk_len != 0; }

/* Feed len received bytes. Returns the number consumed (0..len; fewer than len
 * when a record of application data waits for tls_read() - call again after
 * reading), or a negative error: APG_ECLOSED after close_notify, or the sticky
 * error of a failed connection (an alert is then queued for tls_output()). */
int tls_input(tls_conn *c, const uint8_t *data, size_t len, uint32_t now_ms);

/* Timers: fails a handshake that has run past its deadline (APG_ETIMEDOUT,
 * no alert: the peer is not talking) and returns the sticky error; otherwise
 * APG_OK. Call it every main-loop turn, like tcp_poll(). */
int tls_poll(tls_conn *c, uint32_t now_ms);

/* Zero-copy input: where the next received bytes go and how many the engine
 * wants now (the rest of the current record header or body; 0 while a record
 * of application data waits for tls_read(), or once closed or failed). Receive
 * at most that many into *p, then commit them (tls_input() is these two with a
 * copy). commit returns APG_OK, APG_EINVAL for n above the space, APG_ECLOSED
 * after close_notify, or the sticky error. */
size_t tls_input_space(tls_conn *c, uint8_t **p);
int tls_input_commit(tls_conn *c, size_t n, uint32_t now_ms);

/* Bytes waiting to be sent: *p points at them; returns the count (0: none). */
size_t tls_output(tls_conn *c, const uint8_t **p);
/* The caller sent n of the bytes tls_output() returned. */
void tls_output_done(tls_conn *c, size_t n);

/* Copy up to cap bytes of received application data. Returns the count (> 0),
 * APG_EAGAIN if none is ready, APG_ECLOSED once the peer closed, or the error
 * of a failed connection. */
int tls_read(tls_conn *c, uint8_t *buf, size_t cap);

/* Encrypt up to len bytes as application data into the transmit buffer.
 * Returns the count taken (may be less than len), APG_EAGAIN if the transmit
 * buffer has no room (send tls_output() first), APG_ESTATE before the handshake
 * completed, or the error of a failed connection. */
int tls_write(tls_conn *c, const uint8_t *data, size_t len);

/* Send a KeyUpdate and switch our sending key (RFC 8446 4.6.3); with
 * request_peer the peer is asked to update its key too. Returns APG_OK,
 * APG_EAGAIN (no room), APG_ESTATE (not connected). */
int tls_key_update(tls_conn *c, bool request_peer);

/* Queue close_notify. Returns APG_OK or APG_EAGAIN (no room: retry). */
int tls_close(tls_conn *c);

/* The handshake completed and data may flow. */
static inline bool tls_established(const tls_conn *c) { return c->state == TLS_ST_CONNECTED; }
/* The handshake completed (the peer may have closed since: TLS_ST_CLOSED). */
static inline bool tls_handshake_done(const tls_conn *c)
{
    return c->state == TLS_ST_CONNECTED || c->state == TLS_ST_CLOSED;
}
/* The server name the client asked for ("" if none), the ALPN protocol chosen. */
static inline const char *tls_server_name(const tls_conn *c) { return c->sni; }
static inline const char *tls_alpn(const tls_conn *c) { return c->alpn; }
static inline int tls_alert_sent(const tls_conn *c) { return c->alert_sent == 0xFF ? -1 : c->alert_sent; }
static inline int tls_alert_received(const tls_conn *c) { return c->alert_rcvd == 0xFF ? -1 : c->alert_rcvd; }
/* Wipe every secret and buffer (the slot may be reused after init). */
void tls_release(tls_conn *c);
size_t tls_conn_size(void);

#endif /* TLS_H */
