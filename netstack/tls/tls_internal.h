/*
 * tls_internal.h - what the record layer (tls_conn.c) and the handshake
 * (tls_server.c) share. Not for applications.
 */
#ifndef TLS_INTERNAL_H
#define TLS_INTERNAL_H
#include "tls.h"
#include "tls_codec.h"

#define TLS_F_HRR_SENT 0x01u    /* HelloRetryRequest sent: a second one is fatal */
#define TLS_F_KEY_CHANGE 0x02u  /* the message just handled precedes a key change */
#define TLS_F_EARLY_SKIP 0x04u  /* skip undecryptable records: rejected 0-RTT */
#define TLS_F_CLOSE_SENT 0x08u
#define TLS_F_RSL 0x10u         /* the client sent record_size_limit */
#define TLS_F_MFL 0x20u         /* max_fragment_length echoed */
#define TLS_F_STARTED 0x40u     /* hs_start_ms is set */

#define TLS_CF_HRR 0x01u        /* client: HelloRetryRequest received */
#define TLS_CF_CERT_REQ 0x02u   /* client: the server asked for a certificate */
#define TLS_CF_SNI 0x04u        /* client: server_name sent */
#define TLS_CF_PSK 0x08u        /* client: pre_shared_key offered */

/* Most rejected 0-RTT bytes skipped before giving up (RFC 8446 4.2.10 lets the
 * server bound this by its max_early_data_size; we advertise none). */
#define TLS_EARLY_SKIP_MAX 16384u

/* Queue a fatal alert (if there is room), fail the connection, return err. */
int tls_fail(tls_conn *c, uint8_t alert, int err);

/* Free room at the end of tx after compaction. */
size_t tls_tx_room(tls_conn *c);
/* Seal content_len bytes of type `type` written at tx[tx_len + 5 ..] into one
 * or more records no larger than the peer's limit; advance tx_len. Returns
 * APG_OK or APG_EMSGSIZE (nothing queued). */
int tls_tx_seal(tls_conn *c, uint8_t type, size_t content_len);

/* One whole handshake message (4-byte header included), server side. */
int tls_server_message(tls_conn *c, const uint8_t *msg, size_t len);
int tls_client_message(tls_conn *c, const uint8_t *msg, size_t len);

/* Our identity in use: cfg's own chain and key, or *cfg->alt when c->ident
 * is 1 (server). */
tls_identity tls_own_identity(const tls_conn *c);
/* Sign a CertificateVerify over the transcript so far with our identity's key
 * and write the message (through tls_hs_end). The scheme is c->sig_scheme on
 * a server (chosen from the ClientHello), cfg->key_scheme on a client.
 * Returns APG_OK or a failure (fatal, internal_error queued). */
int tls_write_cert_verify(tls_conn *c, tls_wr *w, bool server);
/* Certificate message with our identity's chain (empty request context). */
void tls_write_certificate(tls_conn *c, tls_wr *w);
/* KeyUpdate: next traffic secret (7.2). */
void tls_next_traffic_secret(tls_conn *c, uint8_t *secret);
/* The peer's Certificate: validate the chain against cfg->anchors (the
 * server's name and serverAuth on a client; clientAuth on a server) and keep the
 * leaf key. APG_OK; 1 when a client sent an empty list (allowed unless
 * required); or a failure (alert queued). */
int tls_on_peer_certificate(tls_conn *c, const uint8_t *msg, size_t len);
/* The peer's CertificateVerify over the transcript with the kept key. */
int tls_on_peer_cert_verify(tls_conn *c, const uint8_t *msg, size_t len);
/* Session tickets (tls_ticket.c). Seal the server's resumption state into
 * ticket (TLS_TICKET_LEN(hl) bytes); open one: APG_OK and the fields, or
 * APG_EAUTH (not ours, altered, or under another key). */
#define TLS_TICKET_LEN(hl) (12u + 11u + (hl) + 16u)
int tls_ticket_seal(const tls_conn *c, const uint8_t *psk, uint32_t age_add, uint8_t *ticket);
int tls_ticket_open(const tls_conn *c, const uint8_t *ticket, size_t len, uint16_t *suite,
                    uint8_t *psk, uint8_t *psk_len, uint32_t *issued_ms, uint32_t *age_add);
/* Binder (4.2.11.2): HMAC over the transcript prefix plus the truncated
 * ClientHello, keyed from psk's "res binder" secret. prefix may be NULL. */
void tls_psk_binder(uint8_t alg, const uint8_t *psk, const tls_hash *prefix,
                    const uint8_t *trunc, size_t trunc_len, uint8_t *out);
/* Early secret: HKDF-Extract(0, psk or zeros). */
void tls_early_secret(const tls_conn *c, uint8_t *early);
/* A received KeyUpdate (either side). */
int tls_on_key_update(tls_conn *c, const uint8_t *msg, size_t len);

/* Handshake message framing inside a tls_wr: begin() writes the type and
 * reserves the 24-bit length; end() fills it and adds the message to the
 * transcript. */
static inline size_t tls_hs_begin(tls_wr *w, uint8_t type)
{
    tls_wr_u8(w, type);
    return tls_wr_open(w, 3);
}

static inline void tls_hs_end(tls_conn *c, tls_wr *w, size_t mark)
{
    tls_wr_close(w, mark, 3);
    if (!w->err)
        tls_hash_update(&c->transcript, w->p + mark - 1, w->len - mark + 1);
}

#endif /* TLS_INTERNAL_H */
