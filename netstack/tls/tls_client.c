/*
 * tls_client.c - the TLS 1.3 client handshake (RFC 8446 section 2, 4):
 * ClientHello -> [HelloRetryRequest -> ClientHello] -> ServerHello,
 * {EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify,
 * Finished} -> {[Certificate, CertificateVerify], Finished}.
 *
 * One key share is offered (x25519 first when allowed); a server that wants
 * the other group asks with a HelloRetryRequest. Until the ServerHello names
 * the suite, the transcript runs in both SHA-256 and SHA-384.
 * The server's chain is validated with tls_x509.h; its leaf key is copied into
 * the connection because CertificateVerify may arrive in a later record.
 */
#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "ecdh_p256.h"
#include "ecdsa_der.h"
#include "ecdsa_p256.h"
#include "ed25519.h"
#include "rsa_verify.h"
#include "sha256.h"
#include "tls_defs.h"
#include "tls_internal.h"
#include "tls_x509.h"
#include "x25519.h"

static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/* The schemes we accept in CertificateVerify, then the extra one allowed in
 * certificates only (signature_algorithms covers both, 4.2.3). */
static const uint16_t sig_offer[4] = {TLS_SIG_ECDSA_SECP256R1_SHA256, TLS_SIG_ED25519,
                                      TLS_SIG_RSA_PSS_RSAE_SHA256, TLS_SIG_RSA_PKCS1_SHA256};

static uint8_t suite_mask(const tls_conn *c)
{
    return (c->cfg->suites ? c->cfg->suites : 0x07) & APOGEE_TLS_SUITES;
}
static uint8_t group_mask(const tls_conn *c)
{
    return (c->cfg->groups ? c->cfg->groups : 0x03) & APOGEE_TLS_GROUPS;
}

static bool suite_offered(const tls_conn *c, uint32_t s)
{
    uint8_t m = suite_mask(c);
    return (s == TLS_AES_128_GCM_SHA256 && (m & TLS_SUITE_AES_128_GCM)) ||
           (s == TLS_AES_256_GCM_SHA384 && (m & TLS_SUITE_AES_256_GCM)) ||
           (s == TLS_CHACHA20_POLY1305_SHA256 && (m & TLS_SUITE_CHACHA20));
}

static bool is_ip_literal(const char *n)
{
    bool digits_dots = true;
    for (const char *p = n; *p; p++) {
        if (*p == ':')
            return true;
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            digits_dots = false;
    }
    return digits_dots;
}

/* Both running transcripts take every message until the suite is known. */
static void th_update(tls_conn *c, const uint8_t *p, size_t n)
{
    tls_hash_update(&c->transcript, p, n);
    if (c->suite == 0)
        tls_hash_update(&c->transcript2, p, n);
}

/* keep: the same private key again (a retry that asked only for a cookie
 * echo keeps the ClientHello's share, 4.1.2). */
static int new_share(tls_conn *c, uint8_t *pub, size_t *pub_len, bool keep)
{
    int r;
    if (!keep && (r = c->cfg->rng(c->cfg->rng_ctx, c->kx_priv, 32)) < 0)
        return r;
    if (c->group == TLS_GROUP_X25519) {
        crypto_x25519_public_key(pub, c->kx_priv);
        *pub_len = 32;
        return APG_OK;
    }
    for (unsigned i = 0; i < 4; i++) {
        if (crypto_p256_public_key(pub, c->kx_priv) == APG_OK) {
            *pub_len = 65;
            return APG_OK;
        }
        if ((r = c->cfg->rng(c->cfg->rng_ctx, c->kx_priv, 32)) < 0)
            return r;
    }
    return APG_EIO;
}

/* cookie: the HelloRetryRequest's cookie extension body to echo (4.2.2), or
 * NULL; it points into the retry message, alive during this call. */
static int send_client_hello(tls_conn *c, const tls_rd *cookie, bool keep_share)
{
    uint8_t pub[65];
    size_t pub_len = 0;
    int r;
    /* The second hello repeats the first one's random (4.1.2); the client never
     * uses c_next, so it holds the random until the handshake ends. */
    uint8_t *random = c->c_next;
    if (!(c->cflags & TLS_CF_HRR) && (r = c->cfg->rng(c->cfg->rng_ctx, random, 32)) < 0)
        return r;
    if ((r = new_share(c, pub, &pub_len, keep_share)) < 0)
        return r;
    (void)tls_tx_room(c);
    tls_wr w = {c->tx + c->tx_len, sizeof c->tx - c->tx_len, 0, false};
    tls_wr_u8(&w, TLS_CT_HANDSHAKE);
    tls_wr_u16(&w, 0x0301); /* 5.1: legacy_record_version of a first ClientHello */
    size_t rec = tls_wr_open(&w, 2);
    size_t m = tls_hs_begin(&w, TLS_HS_CLIENT_HELLO);
    tls_wr_u16(&w, TLS_VERSION_12);
    tls_wr_bytes(&w, random, 32);
    tls_wr_u8(&w, 0); /* legacy_session_id: no middlebox compatibility mode */
    size_t v = tls_wr_open(&w, 2);
    uint8_t sm = suite_mask(c);
    if (sm & TLS_SUITE_AES_128_GCM)
        tls_wr_u16(&w, TLS_AES_128_GCM_SHA256);
    if (sm & TLS_SUITE_CHACHA20)
        tls_wr_u16(&w, TLS_CHACHA20_POLY1305_SHA256);
    if (sm & TLS_SUITE_AES_256_GCM)
        tls_wr_u16(&w, TLS_AES_256_GCM_SHA384);
    tls_wr_close(&w, v, 2);
    tls_wr_u8(&w, 1);
    tls_wr_u8(&w, 0);
    size_t ex = tls_wr_open(&w, 2);
    if (c->cflags & TLS_CF_SNI) {
        size_t nl = strlen(c->peer_name);
        tls_wr_u16(&w, TLS_EXT_SERVER_NAME);
        tls_wr_u16(&w, (uint32_t)nl + 5);
        tls_wr_u16(&w, (uint32_t)nl + 3);
        tls_wr_u8(&w, 0);
        tls_wr_u16(&w, (uint32_t)nl);
        tls_wr_bytes(&w, c->peer_name, nl);
    }
    tls_wr_u16(&w, TLS_EXT_SUPPORTED_VERSIONS);
    tls_wr_u16(&w, 3);
    tls_wr_u8(&w, 2);
    tls_wr_u16(&w, TLS_VERSION_13);
    uint8_t gm = group_mask(c);
    tls_wr_u16(&w, TLS_EXT_SUPPORTED_GROUPS);
    v = tls_wr_open(&w, 2);
    size_t v2 = tls_wr_open(&w, 2);
    if (gm & TLS_GROUPMASK_X25519)
        tls_wr_u16(&w, TLS_GROUP_X25519);
    if (gm & TLS_GROUPMASK_P256)
        tls_wr_u16(&w, TLS_GROUP_SECP256R1);
    tls_wr_close(&w, v2, 2);
    tls_wr_close(&w, v, 2);
    tls_wr_u16(&w, TLS_EXT_SIGNATURE_ALGORITHMS);
    tls_wr_u16(&w, 2 + 2 * 4);
    tls_wr_u16(&w, 2 * 4);
    for (unsigned i = 0; i < 4; i++)
        tls_wr_u16(&w, sig_offer[i]);
    tls_wr_u16(&w, TLS_EXT_KEY_SHARE);
    tls_wr_u16(&w, 6 + (uint32_t)pub_len);
    tls_wr_u16(&w, 4 + (uint32_t)pub_len);
    tls_wr_u16(&w, c->group);
    tls_wr_u16(&w, (uint32_t)pub_len);
    tls_wr_bytes(&w, pub, pub_len);
    if (c->cfg->alpn_count) {
        tls_wr_u16(&w, TLS_EXT_ALPN);
        v = tls_wr_open(&w, 2);
        v2 = tls_wr_open(&w, 2);
        for (unsigned i = 0; i < c->cfg->alpn_count; i++) {
            size_t l = strlen(c->cfg->alpn[i]);
            tls_wr_u8(&w, (uint32_t)l);
            tls_wr_bytes(&w, c->cfg->alpn[i], l);
        }
        tls_wr_close(&w, v2, 2);
        tls_wr_close(&w, v, 2);
    }
    if (cookie) {
        tls_wr_u16(&w, TLS_EXT_COOKIE);
        tls_wr_u16(&w, (uint32_t)cookie->n);
        tls_wr_bytes(&w, cookie->p, cookie->n);
    }
    if (APOGEE_TLS_RECORD_MAX < TLS_PLAINTEXT_MAX) { /* RFC 8449 */
        tls_wr_u16(&w, TLS_EXT_RECORD_SIZE_LIMIT);
        tls_wr_u16(&w, 2);
        tls_wr_u16(&w, APOGEE_TLS_RECORD_MAX + 1u);
    }
    /* Resumption (4.2.11): psk_dhe_ke only, the ticket, its binder last. After
     * a retry, only if the suite chosen has the ticket's hash. */
    const tls_session *s = c->session;
    uint8_t palg = s ? tls_suite_hash(s->suite) : 0;
    size_t binder_at = 0, phl = tls_hash_len(palg);
    c->cflags &= (uint8_t)~TLS_CF_PSK;
    if (APOGEE_TLS_TICKETS && s && s->ticket_len && s->psk_len == phl && suite_offered(c, s->suite) &&
        (!(c->cflags & TLS_CF_HRR) || c->hash_alg == palg)) {
        tls_wr_u16(&w, TLS_EXT_PSK_KEY_EXCHANGE_MODES);
        tls_wr_u16(&w, 2);
        tls_wr_u8(&w, 1);
        tls_wr_u8(&w, 1); /* psk_dhe_ke */
        tls_wr_u16(&w, TLS_EXT_PRE_SHARED_KEY);
        size_t pe = tls_wr_open(&w, 2);
        tls_wr_u16(&w, 2u + s->ticket_len + 4u);
        tls_wr_u16(&w, s->ticket_len);
        tls_wr_bytes(&w, s->ticket, s->ticket_len);
        uint32_t age = (c->now_ms - s->received_ms) + s->age_add;
        tls_wr_u16(&w, age >> 16);
        tls_wr_u16(&w, age & 0xFFFFu);
        binder_at = w.len;
        tls_wr_u16(&w, 1u + (uint32_t)phl);
        tls_wr_u8(&w, (uint32_t)phl);
        (void)tls_wr_reserve(&w, phl);
        tls_wr_close(&w, pe, 2);
        c->cflags |= TLS_CF_PSK;
    }
    tls_wr_close(&w, ex, 2);
    tls_wr_close(&w, m, 3);
    tls_wr_close(&w, rec, 2);
    if (w.err)
        return APG_EMSGSIZE;
    if (c->cflags & TLS_CF_PSK) /* over the ClientHello up to the binders */
        tls_psk_binder(palg, s->psk, (c->cflags & TLS_CF_HRR) ? &c->transcript : NULL,
                       w.p + m - 1, binder_at - (m - 1), w.p + binder_at + 3);
    th_update(c, w.p + m - 1, w.len - m + 1);
    c->tx_len += w.len;
    return APG_OK;
}

int tls_client_init(tls_conn *c, const tls_config *cfg, const char *server_name,
                    int64_t unix_time)
{
    return tls_client_init_session(c, cfg, server_name, unix_time, NULL, 0);
}

int tls_client_init_session(tls_conn *c, const tls_config *cfg, const char *server_name,
                            int64_t unix_time, tls_session *session, uint32_t now_ms)
{
    if (!cfg || !cfg->rng || !cfg->anchor_count || !cfg->anchors || !server_name ||
        !server_name[0] || strlen(server_name) > 253)
        return APG_EINVAL;
    if (cfg->chain_len && cfg->key_scheme != TLS_SIG_ECDSA_SECP256R1_SHA256 &&
        !(APOGEE_TLS_ED25519 && cfg->key_scheme == TLS_SIG_ED25519))
        return APG_EINVAL;
    memset(c, 0, offsetof(tls_conn, rx));
    c->cfg = cfg;
    c->client = 1;
    c->on_message = tls_client_message;
    c->alert_sent = c->alert_rcvd = 0xFF;
    c->peer_rec_max = TLS_PLAINTEXT_MAX;
    c->peer_name = server_name;
    c->unix_time = unix_time;
    c->session = session;
    c->now_ms = now_ms;
    c->state = TLS_ST_C_WAIT_SH;
    if (!is_ip_literal(server_name)) /* RFC 6066 3: no literal addresses in SNI */
        c->cflags |= TLS_CF_SNI;
    c->group = group_mask(c) & TLS_GROUPMASK_X25519 ? TLS_GROUP_X25519 : TLS_GROUP_SECP256R1;
    tls_hash_init(&c->transcript, TLS_HASH_SHA256);
    tls_hash_init(&c->transcript2, TLS_HASH_SHA384);
    int r = send_client_hello(c, NULL, false);
    if (r < 0)
        c->state = TLS_ST_FAILED;
    return r;
}

static int on_server_hello(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, random, sid, exts, d, key = {NULL, 0}, cookie = {NULL, 0};
    uint32_t ver, suite, comp, type, x, group = 0;
    bool sv = false, has_ks = false;
    if (!tls_rd_u16(&r, &ver) || !tls_rd_take(&r, 32, &random) ||
        !tls_rd_vec(&r, 1, 0, 32, &sid) || !tls_rd_u16(&r, &suite) || !tls_rd_u8(&r, &comp))
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    bool hrr = memcmp(random.p, hrr_random, 32) == 0;
    if (r.n == 0) {
        exts.p = NULL;
        exts.n = 0;
    } else if (!tls_rd_vec(&r, 2, 0, 65535, &exts) || r.n) {
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    }
    uint32_t seen = 0;
    while (exts.n) {
        if (!tls_rd_u16(&exts, &type) || !tls_rd_vec(&exts, 2, 0, 65535, &d))
            return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
        uint32_t bit = type == TLS_EXT_SUPPORTED_VERSIONS ? 1u : type == TLS_EXT_KEY_SHARE ? 2u : 4u;
        if (seen & bit & 3u)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        seen |= bit;
        if (type == TLS_EXT_SUPPORTED_VERSIONS) {
            if (!tls_rd_u16(&d, &x) || d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            if (x != TLS_VERSION_13) /* 4.2.1 */
                return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
            sv = true;
        } else if (type == TLS_EXT_KEY_SHARE) {
            if (!tls_rd_u16(&d, &group))
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            if (!hrr && !tls_rd_vec(&d, 2, 1, 65535, &key))
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            if (d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            has_ks = true;
        } else if (type == TLS_EXT_PRE_SHARED_KEY && !hrr) {
            if (!(c->cflags & TLS_CF_PSK))
                return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
            if (!tls_rd_u16(&d, &x) || d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            if (x != 0) /* 4.2.11: we offered one identity */
                return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
            c->psk_len = c->session->psk_len;
        } else if (type == TLS_EXT_COOKIE && hrr) {
            /* opaque cookie<1..2^16-1>: echoed whole in the second hello */
            tls_rd inner;
            if (!tls_rd_vec(&d, 2, 1, 65535, &inner) || d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            cookie.p = inner.p - 2;
            cookie.n = inner.n + 2;
        } else {
            /* 4.2: anything else was not offered or does not belong here. */
            bool ours = type == TLS_EXT_SERVER_NAME || type == TLS_EXT_SUPPORTED_GROUPS ||
                        type == TLS_EXT_SIGNATURE_ALGORITHMS || type == TLS_EXT_ALPN ||
                        type == TLS_EXT_RECORD_SIZE_LIMIT;
            return tls_fail(c, ours ? TLS_ALERT_ILLEGAL_PARAMETER
                                    : TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
        }
    }
    if (!sv) {
        /* 4.1.3: a TLS 1.2 answer carrying the downgrade sentinel is an
         * attack; without it the server simply lacks TLS 1.3. */
        if (memcmp(random.p + 24, "DOWNGRD", 7) == 0 && random.p[31] <= 1)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        return tls_fail(c, TLS_ALERT_PROTOCOL_VERSION, APG_ENOTSUP);
    }
    if (ver != TLS_VERSION_12 || sid.n != 0 || comp != 0 || !suite_offered(c, suite))
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    if (!has_ks && !hrr) /* (EC)DHE always: a key share is required */
        return tls_fail(c, TLS_ALERT_MISSING_EXTENSION, APG_EBADMSG);
    if ((c->cflags & TLS_CF_HRR) && suite != c->suite) /* 4.1.4 */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    if (c->psk_len && tls_suite_hash((uint16_t)suite) != tls_suite_hash(c->session->suite))
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG); /* 4.2.11 */
    c->suite = (uint16_t)suite;
    c->hash_alg = tls_suite_hash(c->suite);
    if (c->hash_alg == TLS_HASH_SHA384 && !(c->cflags & TLS_CF_HRR))
        c->transcript = c->transcript2;
    crypto_wipe(&c->transcript2, sizeof c->transcript2);

    if (hrr) {
        uint8_t gm = group_mask(c);
        bool ok = (group == TLS_GROUP_X25519 && (gm & TLS_GROUPMASK_X25519)) ||
                  (group == TLS_GROUP_SECP256R1 && (gm & TLS_GROUPMASK_P256));
        if (c->cflags & TLS_CF_HRR)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
        /* 4.1.4: a group we support and did not already share, and the retry
         * must change something (a new share or a cookie). */
        if (has_ks ? (!ok || group == c->group) : !cookie.p)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        if (!has_ks)
            group = c->group;
        uint8_t h[TLS_HASH_MAX];
        size_t hl = tls_hash_len(c->hash_alg);
        tls_hash_peek(&c->transcript, h); /* = Hash(ClientHello1) */
        tls_hash_init(&c->transcript, c->hash_alg);
        const uint8_t mh[4] = {TLS_HS_MESSAGE_HASH, 0, 0, (uint8_t)hl};
        tls_hash_update(&c->transcript, mh, 4);
        tls_hash_update(&c->transcript, h, hl);
        tls_hash_update(&c->transcript, msg, len);
        c->cflags |= TLS_CF_HRR;
        c->group = (uint16_t)group;
        int rr = send_client_hello(c, cookie.p ? &cookie : NULL, !has_ks);
        if (rr < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, rr);
        c->flags |= TLS_F_KEY_CHANGE; /* nothing may follow in this record */
        return APG_OK;
    }
    if (group != c->group || key.n != (group == TLS_GROUP_X25519 ? 32u : 65u))
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    uint8_t shared[32];
    int kr = group == TLS_GROUP_X25519 ? crypto_x25519(shared, c->kx_priv, key.p)
                                       : crypto_p256_ecdh(shared, c->kx_priv, key.p);
    crypto_wipe(c->kx_priv, sizeof c->kx_priv);
    if (kr < 0)
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    tls_hash_update(&c->transcript, msg, len);
    uint8_t early[TLS_HASH_MAX], th[TLS_HASH_MAX];
    tls_early_secret(c, early);
    tls_next_stage(c->hash_alg, early, shared, 32, c->hs_secret);
    crypto_wipe(shared, sizeof shared);
    tls_hash_peek(&c->transcript, th);
    tls_derive_secret(c->hash_alg, c->hs_secret, "c hs traffic", th, c->c_secret);
    tls_derive_secret(c->hash_alg, c->hs_secret, "s hs traffic", th, c->s_secret);
    tls_aead_install(&c->rd, c->suite, c->s_secret);
    /* From here on our records (alerts included) use the handshake key. */
    tls_aead_install(&c->wr, c->suite, c->c_secret);
    c->flags |= TLS_F_KEY_CHANGE;
    c->state = TLS_ST_C_WAIT_EE;
    return APG_OK;
}

static int on_encrypted_extensions(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, exts, d, l, e;
    uint32_t type, x, seen = 0;
    if (!tls_rd_vec(&r, 2, 0, 65535, &exts) || r.n)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    while (exts.n) {
        if (!tls_rd_u16(&exts, &type) || !tls_rd_vec(&exts, 2, 0, 65535, &d))
            return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
        uint32_t bit = type < 32 ? 1u << type : 0;
        if (seen & bit)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        seen |= bit;
        switch (type) {
        case TLS_EXT_SERVER_NAME:
            if (!(c->cflags & TLS_CF_SNI))
                return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
            if (d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            break;
        case TLS_EXT_SUPPORTED_GROUPS: /* 4.2.7: the server's preference, informative */
            d.n = 0;
            break;
        case TLS_EXT_ALPN: {
            if (!c->cfg->alpn_count)
                return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
            if (!tls_rd_vec(&d, 2, 2, 65535, &l) || d.n || !tls_rd_vec(&l, 1, 1, 255, &e) || l.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            bool found = false;
            for (unsigned i = 0; i < c->cfg->alpn_count && !found; i++)
                found = strlen(c->cfg->alpn[i]) == e.n && memcmp(c->cfg->alpn[i], e.p, e.n) == 0;
            if (!found || e.n > APOGEE_TLS_ALPN_MAX) /* RFC 7301 3.2 */
                return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
            memcpy(c->alpn, e.p, e.n);
            c->alpn[e.n] = 0;
            c->alpn_len = (uint8_t)e.n;
            break;
        }
        case TLS_EXT_RECORD_SIZE_LIMIT:
            if (APOGEE_TLS_RECORD_MAX >= TLS_PLAINTEXT_MAX) {
                /* Not offered by a full-size build. */
                return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
            }
            if (!tls_rd_u16(&d, &x) || d.n)
                return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
            if (x < 64)
                return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
            c->peer_rec_max = x - 1 < TLS_PLAINTEXT_MAX ? (uint16_t)(x - 1) : TLS_PLAINTEXT_MAX;
            break;
        case TLS_EXT_KEY_SHARE:
        case TLS_EXT_SUPPORTED_VERSIONS:
        case TLS_EXT_SIGNATURE_ALGORITHMS:
        case TLS_EXT_PRE_SHARED_KEY:
        case TLS_EXT_PSK_KEY_EXCHANGE_MODES:
        case TLS_EXT_COOKIE:
            /* 4.2: known, but not an EncryptedExtensions extension */
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        default: /* never offered (early_data, max_fragment_length, unknown) */
            return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
        }
    }
    tls_hash_update(&c->transcript, msg, len);
    /* A resumed session is authenticated by the PSK: no certificates (2.2). */
    c->state = c->psk_len ? TLS_ST_C_WAIT_FIN : TLS_ST_C_WAIT_CERT;
    return APG_OK;
}

static int on_certificate_request(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, ctx, exts, d;
    uint32_t type;
    bool sigalgs = false;
    if (!tls_rd_vec(&r, 1, 0, 255, &ctx) || !tls_rd_vec(&r, 2, 2, 65535, &exts) || r.n)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    if (ctx.n) /* 4.3.2: empty during the handshake */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    while (exts.n) {
        if (!tls_rd_u16(&exts, &type) || !tls_rd_vec(&exts, 2, 0, 65535, &d))
            return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
        if (type == TLS_EXT_SIGNATURE_ALGORITHMS)
            sigalgs = true;
    }
    if (!sigalgs)
        return tls_fail(c, TLS_ALERT_MISSING_EXTENSION, APG_EBADMSG);
    c->cflags |= TLS_CF_CERT_REQ;
    tls_hash_update(&c->transcript, msg, len);
    return APG_OK;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t len)
{
    size_t hl = tls_hash_len(c->hash_alg);
    uint8_t th[TLS_HASH_MAX], want[TLS_HASH_MAX];
    if (len != 4 + hl)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    tls_hash_peek(&c->transcript, th);
    tls_finished_mac(c->hash_alg, c->s_secret, th, want);
    int ok = crypto_ct_equal(want, msg + 4, hl);
    if (!ok)
        return tls_fail(c, TLS_ALERT_DECRYPT_ERROR, APG_EAUTH);
    tls_hash_update(&c->transcript, msg, len);
    /* Application secrets over ClientHello..server Finished. */
    tls_next_stage(c->hash_alg, c->hs_secret, NULL, 0, c->hs_secret);
    tls_hash_peek(&c->transcript, th);
    uint8_t c_ap[TLS_HASH_MAX];
    tls_derive_secret(c->hash_alg, c->hs_secret, "c ap traffic", th, c_ap);
    tls_derive_secret(c->hash_alg, c->hs_secret, "s ap traffic", th, c->s_secret);

    /* Our flight, still under the client handshake key. */
    size_t room = tls_tx_room(c);
    if (room < 64)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    tls_wr w = {c->tx + c->tx_len + TLS_RECORD_HEADER, room - 64, 0, false};
    if (c->cflags & TLS_CF_CERT_REQ) {
        if (c->cfg->chain_len) {
            tls_write_certificate(c, &w);
            int r = tls_write_cert_verify(c, &w, false);
            if (r < 0)
                return r;
        } else { /* 4.4.2: an empty Certificate; the server decides */
            size_t m = tls_hs_begin(&w, TLS_HS_CERTIFICATE);
            tls_wr_u8(&w, 0);
            tls_wr_u24(&w, 0);
            tls_hs_end(c, &w, m);
        }
    }
    uint8_t fin[TLS_HASH_MAX];
    tls_hash_peek(&c->transcript, th);
    tls_finished_mac(c->hash_alg, c->c_secret, th, fin);
    size_t m = tls_hs_begin(&w, TLS_HS_FINISHED);
    tls_wr_bytes(&w, fin, hl);
    tls_hs_end(c, &w, m);
    if (w.err || tls_tx_seal(c, TLS_CT_HANDSHAKE, w.len) < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    memcpy(c->c_secret, c_ap, sizeof c_ap);
    crypto_wipe(c_ap, sizeof c_ap);
    crypto_wipe(c->c_next, sizeof c->c_next);
    /* resumption_master_secret over ClientHello..client Finished, for tickets */
    tls_hash_peek(&c->transcript, th);
    tls_derive_secret(c->hash_alg, c->hs_secret, "res master", th, c->hs_secret);
    tls_aead_install(&c->wr, c->suite, c->c_secret);
    tls_aead_install(&c->rd, c->suite, c->s_secret);
    c->flags |= TLS_F_KEY_CHANGE;
    c->state = TLS_ST_CONNECTED;
    return APG_OK;
}

/* 4.6.1: keep the ticket and its PSK in the application's tls_session. */
static int on_ticket(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, nonce, ticket, exts;
    uint32_t lifetime, age_add;
    if (!tls_rd_u32(&r, &lifetime) || !tls_rd_u32(&r, &age_add) ||
        !tls_rd_vec(&r, 1, 0, 255, &nonce) || !tls_rd_vec(&r, 2, 1, 65535, &ticket) ||
        !tls_rd_vec(&r, 2, 0, 65534, &exts) || r.n)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    if (lifetime > 604800u) /* 4.6.1: at most 7 days */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    tls_session *s = c->session;
    if (!APOGEE_TLS_TICKETS || !s || lifetime == 0 || ticket.n > sizeof s->ticket)
        return APG_OK; /* not kept: no storage, expired at once, or too big */
    size_t hl = tls_hash_len(c->hash_alg);
    tls_expand_label(c->hash_alg, c->hs_secret, "resumption", nonce.p, nonce.n, s->psk, hl);
    s->psk_len = (uint8_t)hl;
    s->suite = c->suite;
    s->lifetime_s = lifetime;
    s->age_add = age_add;
    s->received_ms = c->now_ms;
    memcpy(s->ticket, ticket.p, ticket.n);
    s->ticket_len = (uint16_t)ticket.n;
    return APG_OK;
}

int tls_client_message(tls_conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[0];
    switch (c->state) {
    case TLS_ST_C_WAIT_SH:
        if (type == TLS_HS_SERVER_HELLO && !c->hs_have)
            return on_server_hello(c, msg, len);
        break;
    case TLS_ST_C_WAIT_EE:
        if (type == TLS_HS_ENCRYPTED_EXTENSIONS)
            return on_encrypted_extensions(c, msg, len);
        break;
    case TLS_ST_C_WAIT_CERT:
        if (type == TLS_HS_CERTIFICATE_REQUEST && !(c->cflags & TLS_CF_CERT_REQ))
            return on_certificate_request(c, msg, len);
        if (type == TLS_HS_CERTIFICATE) {
            int r = tls_on_peer_certificate(c, msg, len);
            if (r == APG_OK)
                c->state = TLS_ST_C_WAIT_CV;
            return r;
        }
        break;
    case TLS_ST_C_WAIT_CV:
        if (type == TLS_HS_CERTIFICATE_VERIFY) {
            int r = tls_on_peer_cert_verify(c, msg, len);
            if (r == APG_OK)
                c->state = TLS_ST_C_WAIT_FIN;
            return r;
        }
        break;
    case TLS_ST_C_WAIT_FIN:
        if (type == TLS_HS_FINISHED)
            return on_finished(c, msg, len);
        break;
    case TLS_ST_CONNECTED:
        if (type == TLS_HS_KEY_UPDATE)
            return tls_on_key_update(c, msg, len);
        if (type == TLS_HS_NEW_SESSION_TICKET)
            return on_ticket(c, msg, len);
        break;
    default:
        break;
    }
    return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
}
