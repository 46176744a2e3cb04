/*
 * tls_server.c - the TLS 1.3 server handshake (RFC 8446 section 2, 4):
 * ClientHello -> [HelloRetryRequest -> ClientHello] -> ServerHello,
 * {EncryptedExtensions, Certificate, CertificateVerify, Finished} -> {Finished},
 * then KeyUpdate in either direction.
 *
 * The ClientHello is parsed strictly through tls_codec.h windows; each fault
 * maps to the alert the RFC names (decode_error for framing, illegal_parameter
 * for bad values, missing_extension, protocol_version for a client without
 * TLS 1.3, handshake_failure when nothing is shared).
 */
#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "ecdh_p256.h"
#include "ecdsa_der.h"
#include "ecdsa_p256.h"
#include "ed25519.h"
#include "rsa_private.h"
#include "sha256.h"
#include "tls_defs.h"
#include "tls_internal.h"
#include "tls_x509.h"
#include "x25519.h"

/* SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest (4.1.3). */
static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/* Server order of preference. */
static const uint16_t suite_pref[3] = {TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256,
                                       TLS_AES_256_GCM_SHA384};
static const uint8_t suite_bit[3] = {TLS_SUITE_AES_128_GCM, TLS_SUITE_CHACHA20,
                                     TLS_SUITE_AES_256_GCM};

typedef struct {
    tls_rd sid, ks_x25519, ks_p256, sni, alpn;
    tls_rd psk_id, psk_binder;    /* the first PSK identity and its binder */
    const uint8_t *binders_at;    /* where the binders list starts (4.2.11.2) */
    bool psk_dhe;                 /* psk_key_exchange_modes has psk_dhe_ke */
    uint32_t seen;     /* extensions seen (bit per known type) */
    uint16_t suite;    /* chosen, 0 none */
    uint16_t rsl;      /* peer's record_size_limit, 0 none */
    uint8_t groups;    /* groups both support (TLS_GROUPMASK_*) */
    uint8_t mfl;       /* max_fragment_length code, 0 none */
    uint16_t sigs;     /* signature_algorithms offered (SB_* bits) */
    uint16_t cert_sigs;/* signature_algorithms_cert offered (SB_* bits) */
    bool sv13, comp_ok;
} ch_info;

/* Signature schemes we can tell apart in the client's lists (4.2.3). Only the
 * first four can sign a CertificateVerify here; the others matter for what
 * signed our certificates (signature_algorithms_cert). */
#define SB_ECDSA_P256 0x001u
#define SB_ED25519 0x002u
#define SB_PSS_RSAE_SHA256 0x004u
#define SB_PSS_RSAE_SHA384 0x008u
#define SB_PKCS1_SHA256 0x010u
#define SB_PKCS1_SHA384 0x020u
#define SB_ECDSA_P384 0x040u
#define SB_PSS_PSS_SHA256 0x080u
#define SB_PSS_PSS_SHA384 0x100u

/* The codes in SB_* bit order (a table: smaller than a switch). */
static const uint16_t sig_codes[9] = {
    TLS_SIG_ECDSA_SECP256R1_SHA256, TLS_SIG_ED25519, TLS_SIG_RSA_PSS_RSAE_SHA256,
    TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PKCS1_SHA256, TLS_SIG_RSA_PKCS1_SHA384,
    TLS_SIG_ECDSA_SECP384R1_SHA384, 0x0809u /* rsa_pss_pss_sha256 */, 0x080Au};

static uint16_t scheme_bit(uint32_t s)
{
    for (unsigned i = 0; i < sizeof sig_codes / sizeof sig_codes[0]; i++)
        if (sig_codes[i] == s)
            return (uint16_t)(1u << i);
    return 0;
}

static uint32_t ext_bit(uint32_t type)
{
    switch (type) {
    case TLS_EXT_SERVER_NAME: return 1u << 0;
    case TLS_EXT_MAX_FRAGMENT_LENGTH: return 1u << 1;
    case TLS_EXT_SUPPORTED_GROUPS: return 1u << 2;
    case TLS_EXT_SIGNATURE_ALGORITHMS: return 1u << 3;
    case TLS_EXT_ALPN: return 1u << 4;
    case TLS_EXT_RECORD_SIZE_LIMIT: return 1u << 5;
    case TLS_EXT_PRE_SHARED_KEY: return 1u << 6;
    case TLS_EXT_EARLY_DATA: return 1u << 7;
    case TLS_EXT_SUPPORTED_VERSIONS: return 1u << 8;
    case TLS_EXT_COOKIE: return 1u << 9;
    case TLS_EXT_PSK_KEY_EXCHANGE_MODES: return 1u << 10;
    case TLS_EXT_SIGNATURE_ALGORITHMS_CERT: return 1u << 11;
    case TLS_EXT_KEY_SHARE: return 1u << 12;
    default: return 0;
    }
}
#define SEEN(t) ext_bit(t)

static uint8_t group_bit(uint32_t g)
{
    return g == TLS_GROUP_X25519 ? TLS_GROUPMASK_X25519
           : g == TLS_GROUP_SECP256R1 ? TLS_GROUPMASK_P256 : 0;
}

/* Parse one extension's body d. Returns 0 or an alert number. */
static int parse_ext(const tls_conn *c, ch_info *ch, uint32_t type, tls_rd d)
{
    tls_rd v, e;
    uint32_t x;
    uint8_t cfg_groups = (c->cfg->groups ? c->cfg->groups : 0xFF) & APOGEE_TLS_GROUPS;
    switch (type) {
    case TLS_EXT_SUPPORTED_VERSIONS:
        if (!tls_rd_vec(&d, 1, 2, 254, &v) || (v.n & 1))
            return TLS_ALERT_DECODE_ERROR;
        while (tls_rd_u16(&v, &x))
            if (x == TLS_VERSION_13)
                ch->sv13 = true;
        break;
    case TLS_EXT_SUPPORTED_GROUPS:
        if (!tls_rd_vec(&d, 2, 2, 65534, &v) || (v.n & 1))
            return TLS_ALERT_DECODE_ERROR;
        while (tls_rd_u16(&v, &x))
            ch->groups |= group_bit(x) & cfg_groups;
        break;
    case TLS_EXT_SIGNATURE_ALGORITHMS:
        if (!tls_rd_vec(&d, 2, 2, 65534, &v) || (v.n & 1))
            return TLS_ALERT_DECODE_ERROR;
        while (tls_rd_u16(&v, &x))
            ch->sigs |= scheme_bit(x);
        break;
    case TLS_EXT_SIGNATURE_ALGORITHMS_CERT:
        if (!APOGEE_TLS_RSA) { /* only used to choose between identities */
            d.n = 0;
            break;
        }
        if (!tls_rd_vec(&d, 2, 2, 65534, &v) || (v.n & 1))
            return TLS_ALERT_DECODE_ERROR;
        while (tls_rd_u16(&v, &x))
            ch->cert_sigs |= scheme_bit(x);
        break;
    case TLS_EXT_KEY_SHARE:
        if (!tls_rd_vec(&d, 2, 0, 65535, &v))
            return TLS_ALERT_DECODE_ERROR;
        while (v.n) {
            uint32_t g;
            if (!tls_rd_u16(&v, &g) || !tls_rd_vec(&v, 2, 1, 65535, &e))
                return TLS_ALERT_DECODE_ERROR;
            tls_rd *slot = g == TLS_GROUP_X25519 ? &ch->ks_x25519
                           : g == TLS_GROUP_SECP256R1 ? &ch->ks_p256 : NULL;
            if (!slot)
                continue;
            if (slot->p) /* 4.2.8: one share per group */
                return TLS_ALERT_ILLEGAL_PARAMETER;
            if (e.n != (g == TLS_GROUP_X25519 ? 32u : 65u))
                return TLS_ALERT_ILLEGAL_PARAMETER;
            *slot = e;
        }
        break;
    case TLS_EXT_SERVER_NAME:
        /* ServerNameList: entries of (type, HostName<1..2^16-1>); the host_name
         * (type 0) is kept. */
        if (!tls_rd_vec(&d, 2, 1, 65535, &v))
            return TLS_ALERT_DECODE_ERROR;
        while (v.n) {
            if (!tls_rd_u8(&v, &x) || !tls_rd_vec(&v, 2, 1, 65535, &e))
                return TLS_ALERT_DECODE_ERROR;
            if (x == 0) {
                if (ch->sni.p) /* RFC 6066 3: one name per type */
                    return TLS_ALERT_ILLEGAL_PARAMETER;
                ch->sni = e;
            }
        }
        break;
    case TLS_EXT_ALPN:
        if (!tls_rd_vec(&d, 2, 2, 65535, &v))
            return TLS_ALERT_DECODE_ERROR;
        ch->alpn = v;
        while (v.n)
            if (!tls_rd_vec(&v, 1, 1, 255, &e))
                return TLS_ALERT_DECODE_ERROR;
        break;
    case TLS_EXT_RECORD_SIZE_LIMIT:
        if (!tls_rd_u16(&d, &x))
            return TLS_ALERT_DECODE_ERROR;
        if (x < 64) /* RFC 8449 4 */
            return TLS_ALERT_ILLEGAL_PARAMETER;
        ch->rsl = (uint16_t)x;
        break;
    case TLS_EXT_MAX_FRAGMENT_LENGTH:
        if (!tls_rd_u8(&d, &x))
            return TLS_ALERT_DECODE_ERROR;
        if (x < 1 || x > 4) /* RFC 6066 4 */
            return TLS_ALERT_ILLEGAL_PARAMETER;
        ch->mfl = (uint8_t)x;
        break;
    case TLS_EXT_PSK_KEY_EXCHANGE_MODES:
        if (!tls_rd_vec(&d, 1, 1, 255, &v))
            return TLS_ALERT_DECODE_ERROR;
        while (tls_rd_u8(&v, &x))
            if (x == 1)
                ch->psk_dhe = true;
        break;
    case TLS_EXT_PRE_SHARED_KEY: {
        /* identities<7..2^16-1>: (identity<1..2^16-1>, obfuscated age);
         * binders<33..2^16-1>: binder<32..255>; as many of each. */
        tls_rd ids, binders, id;
        unsigned nid = 0, nb = 0;
        if (!tls_rd_vec(&d, 2, 7, 65535, &ids))
            return TLS_ALERT_DECODE_ERROR;
        ch->binders_at = d.p;
        if (!tls_rd_vec(&d, 2, 33, 65535, &binders))
            return TLS_ALERT_DECODE_ERROR;
        while (ids.n) {
            if (!tls_rd_vec(&ids, 2, 1, 65535, &id) || !tls_rd_u32(&ids, &x))
                return TLS_ALERT_DECODE_ERROR;
            if (nid++ == 0)
                ch->psk_id = id;
        }
        while (binders.n) {
            if (!tls_rd_vec(&binders, 1, 32, 255, &e))
                return TLS_ALERT_DECODE_ERROR;
            if (nb++ == 0)
                ch->psk_binder = e;
        }
        if (nid != nb)
            return TLS_ALERT_ILLEGAL_PARAMETER;
        break;
    }
    default:
        /* early_data (empty here), cookie and every unknown extension:
         * ignored. */
        if (type == TLS_EXT_EARLY_DATA && d.n != 0)
            return TLS_ALERT_DECODE_ERROR;
        d.n = 0;
        break;
    }
    return d.n ? TLS_ALERT_DECODE_ERROR : 0;
}

/* The scheme an identity's key signs with among those the client offers
 * (0: none). An RSA key signs rsa_pss_rsae_sha256, else _sha384; never
 * rsa_pkcs1_* (4.2.3: not for TLS 1.3 handshake signatures). */
static uint16_t usable_scheme(const ch_info *ch, uint16_t key_scheme)
{
    if (key_scheme == TLS_SIG_RSA_PSS_RSAE_SHA256) {
        if (!APOGEE_TLS_RSA)
            return 0;
        return ch->sigs & SB_PSS_RSAE_SHA256   ? TLS_SIG_RSA_PSS_RSAE_SHA256
               : ch->sigs & SB_PSS_RSAE_SHA384 ? TLS_SIG_RSA_PSS_RSAE_SHA384 : 0;
    }
    return ch->sigs & scheme_bit(key_scheme) ? key_scheme : 0;
}

/* 4.4.2.2: the client's list for certificate signatures is
 * signature_algorithms_cert, or signature_algorithms without it. true when
 * the leaf's own signature is in it (only used to prefer one identity over
 * another: a chain outside the list is still sent when nothing else fits). */
static bool leaf_sig_offered(const ch_info *ch, const tls_identity *id)
{
    static const uint16_t bits[] = {
        [X509_SIG_ECDSA_SHA256] = SB_ECDSA_P256,
        [X509_SIG_ECDSA_SHA384] = SB_ECDSA_P384,
        [X509_SIG_ED25519] = SB_ED25519,
        [X509_SIG_RSA_PKCS1_SHA256] = SB_PKCS1_SHA256,
        [X509_SIG_RSA_PKCS1_SHA384] = SB_PKCS1_SHA384,
        [X509_SIG_RSA_PSS_SHA256] = SB_PSS_RSAE_SHA256 | SB_PSS_PSS_SHA256,
        [X509_SIG_RSA_PSS_SHA384] = SB_PSS_RSAE_SHA384 | SB_PSS_PSS_SHA384,
    };
    x509_cert leaf;
    uint16_t want = (ch->seen & SEEN(TLS_EXT_SIGNATURE_ALGORITHMS_CERT)) ? ch->cert_sigs
                                                                          : ch->sigs;
    if (x509_parse(&leaf, id->chain[0].der, id->chain[0].len) != APG_OK ||
        leaf.sig_alg >= sizeof bits / sizeof bits[0])
        return false;
    return (bits[leaf.sig_alg] & want) != 0;
}

/* Pick the identity (config order: own, then alt) and its signature scheme:
 * first one whose key the client's signature_algorithms allow and whose leaf
 * signature its certificate list allows, else the first whose key is allowed
 * (without APOGEE_TLS_RSA: the first whose key is allowed).
 * false: none (handshake_failure). */
static bool choose_identity(tls_conn *c, const ch_info *ch)
{
    const tls_config *cfg = c->cfg;
    tls_identity ids[2];
    unsigned n = 1;
    c->ident = 0;
    ids[0] = tls_own_identity(c);
    if (cfg->alt)
        ids[n++] = *cfg->alt;
    /* The certificate-list preference parses our leaves (x509_parse): only in
     * images with RSA keys, so that a minimal server links no X.509 parser. */
    for (unsigned pass = APOGEE_TLS_RSA && n > 1 ? 0 : 1; pass < 2; pass++)
        for (unsigned i = 0; i < n; i++) {
            uint16_t s = usable_scheme(ch, ids[i].key_scheme);
            if (s && (pass == 1 || (APOGEE_TLS_RSA && leaf_sig_offered(ch, &ids[i])))) {
                c->ident = (uint8_t)i;
                c->sig_scheme = s;
                return true;
            }
        }
    return false;
}

static int parse_client_hello(const tls_conn *c, tls_rd r, ch_info *ch)
{
    tls_rd random, suites, comp, exts;
    uint32_t x;
    memset(ch, 0, sizeof *ch);
    if (!tls_rd_u16(&r, &x) || !tls_rd_take(&r, 32, &random) ||
        !tls_rd_vec(&r, 1, 0, 32, &ch->sid) || !tls_rd_vec(&r, 2, 2, 65534, &suites) ||
        (suites.n & 1) || !tls_rd_vec(&r, 1, 1, 255, &comp))
        return TLS_ALERT_DECODE_ERROR;
    if (r.n == 0) /* no extensions: at most TLS 1.2 */
        return TLS_ALERT_PROTOCOL_VERSION;
    if (!tls_rd_vec(&r, 2, 0, 65535, &exts) || r.n)
        return TLS_ALERT_DECODE_ERROR;
    ch->comp_ok = comp.n == 1 && comp.p[0] == 0;
    while (exts.n) {
        uint32_t type;
        tls_rd d;
        if (!tls_rd_u16(&exts, &type) || !tls_rd_vec(&exts, 2, 0, 65535, &d))
            return TLS_ALERT_DECODE_ERROR;
        if (ch->seen & SEEN(TLS_EXT_PRE_SHARED_KEY)) /* 4.2.11: must be last */
            return TLS_ALERT_ILLEGAL_PARAMETER;
        uint32_t bit = ext_bit(type);
        if (ch->seen & bit) /* 4.2: at most one of each */
            return TLS_ALERT_ILLEGAL_PARAMETER;
        ch->seen |= bit;
        int a = parse_ext(c, ch, type, d);
        if (a)
            return a;
    }
    uint8_t mask = (c->cfg->suites ? c->cfg->suites : 0xFF) & APOGEE_TLS_SUITES;
    for (unsigned i = 0; i < 3 && !ch->suite; i++) {
        tls_rd s = suites;
        if (!(mask & suite_bit[i]))
            continue;
        while (tls_rd_u16(&s, &x))
            if (x == suite_pref[i])
                ch->suite = suite_pref[i];
    }
    return 0;
}

/* Append the record header for a plaintext handshake record at tx_len and
 * return a writer positioned after it. */
static tls_wr plain_writer(tls_conn *c)
{
    tls_wr w = {c->tx + c->tx_len, sizeof c->tx - c->tx_len, 0, false};
    tls_wr_u8(&w, TLS_CT_HANDSHAKE);
    tls_wr_u16(&w, TLS_VERSION_12);
    (void)tls_wr_open(&w, 2);
    return w;
}

static void plain_commit(tls_conn *c, tls_wr *w)
{
    tls_wr_close(w, 3, 2);
    c->tx_len += w->len;
}

/* ServerHello or HelloRetryRequest (same shape, 4.1.3). */
static void write_server_hello(tls_conn *c, tls_wr *w, const ch_info *ch, const uint8_t *random,
                               const uint8_t *pub, size_t pub_len)
{
    size_t m = tls_hs_begin(w, TLS_HS_SERVER_HELLO);
    tls_wr_u16(w, TLS_VERSION_12);
    tls_wr_bytes(w, random, 32);
    tls_wr_u8(w, (uint32_t)ch->sid.n);
    tls_wr_bytes(w, ch->sid.p, ch->sid.n);
    tls_wr_u16(w, c->suite);
    tls_wr_u8(w, 0);
    size_t ex = tls_wr_open(w, 2);
    tls_wr_u16(w, TLS_EXT_SUPPORTED_VERSIONS);
    tls_wr_u16(w, 2);
    tls_wr_u16(w, TLS_VERSION_13);
    tls_wr_u16(w, TLS_EXT_KEY_SHARE);
    if (pub) {
        tls_wr_u16(w, 4 + (uint32_t)pub_len);
        tls_wr_u16(w, c->group);
        tls_wr_u16(w, (uint32_t)pub_len);
        tls_wr_bytes(w, pub, pub_len);
    } else { /* HelloRetryRequest: the selected group only */
        tls_wr_u16(w, 2);
        tls_wr_u16(w, c->group);
    }
    if (pub && c->psk_len) { /* 4.2.11: selected_identity, always the first */
        tls_wr_u16(w, TLS_EXT_PRE_SHARED_KEY);
        tls_wr_u16(w, 2);
        tls_wr_u16(w, 0);
    }
    tls_wr_close(w, ex, 2);
    tls_hs_end(c, w, m);
}

static void write_ccs(tls_conn *c)
{
    static const uint8_t ccs[6] = {TLS_CT_CCS, 3, 3, 0, 1, 1};
    if (tls_tx_room(c) >= sizeof ccs) {
        memcpy(c->tx + c->tx_len, ccs, sizeof ccs);
        c->tx_len += sizeof ccs;
    }
}

static int send_hrr(tls_conn *c, const uint8_t *ch1, size_t ch1_len, const ch_info *ch)
{
    /* 4.4.1: the transcript restarts as message_hash(Hash(ClientHello1)). */
    uint8_t h[TLS_HASH_MAX];
    size_t hl = tls_hash_len(c->hash_alg);
    tls_hash_once(c->hash_alg, ch1, ch1_len, h);
    tls_hash_init(&c->transcript, c->hash_alg);
    const uint8_t mh[4] = {TLS_HS_MESSAGE_HASH, 0, 0, (uint8_t)hl};
    tls_hash_update(&c->transcript, mh, 4);
    tls_hash_update(&c->transcript, h, hl);
    tls_wr w = plain_writer(c);
    write_server_hello(c, &w, ch, hrr_random, NULL, 0);
    if (w.err)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    plain_commit(c, &w);
    if (ch->sid.n)
        write_ccs(c); /* middlebox compatibility, D.4 */
    c->flags |= TLS_F_HRR_SENT;
    c->state = TLS_ST_WAIT_CH2;
    return APG_OK;
}

/* EncryptedExtensions, Certificate, CertificateVerify, Finished: one run of
 * content sealed into as many records as the peer's limit needs. */
static int send_flight(tls_conn *c, const ch_info *ch, const uint8_t *s_hs)
{
    size_t hl = tls_hash_len(c->hash_alg);
    size_t room = tls_tx_room(c);
    if (room < 64)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    tls_wr w = {c->tx + c->tx_len + TLS_RECORD_HEADER, room - 64, 0, false};

    size_t m = tls_hs_begin(&w, TLS_HS_ENCRYPTED_EXTENSIONS);
    size_t ex = tls_wr_open(&w, 2);
    if (ch->sni.p) { /* RFC 6066 3: empty server_name acknowledges it */
        tls_wr_u16(&w, TLS_EXT_SERVER_NAME);
        tls_wr_u16(&w, 0);
    }
    if (c->alpn_len) {
        tls_wr_u16(&w, TLS_EXT_ALPN);
        tls_wr_u16(&w, 3u + c->alpn_len);
        tls_wr_u16(&w, 1u + c->alpn_len);
        tls_wr_u8(&w, c->alpn_len);
        tls_wr_bytes(&w, c->alpn, c->alpn_len);
    }
    if (c->flags & TLS_F_RSL) { /* RFC 8449 4: TLS 1.3 counts the type byte */
        tls_wr_u16(&w, TLS_EXT_RECORD_SIZE_LIMIT);
        tls_wr_u16(&w, 2);
        tls_wr_u16(&w, APOGEE_TLS_RECORD_MAX + 1u);
    } else if (c->flags & TLS_F_MFL) {
        tls_wr_u16(&w, TLS_EXT_MAX_FRAGMENT_LENGTH);
        tls_wr_u16(&w, 1);
        tls_wr_u8(&w, ch->mfl);
    }
    tls_wr_close(&w, ex, 2);
    tls_hs_end(c, &w, m);

    if (c->psk_len) /* resumption: no certificates (2.2) */
        goto finished;
    if (APOGEE_TLS_CLIENT_AUTH && c->cfg->client_auth) { /* 4.3.2 */
        m = tls_hs_begin(&w, TLS_HS_CERTIFICATE_REQUEST);
        tls_wr_u8(&w, 0);
        tls_wr_u16(&w, 12);
        tls_wr_u16(&w, TLS_EXT_SIGNATURE_ALGORITHMS);
        tls_wr_u16(&w, 8);
        tls_wr_u16(&w, 6);
        tls_wr_u16(&w, TLS_SIG_ECDSA_SECP256R1_SHA256);
        tls_wr_u16(&w, TLS_SIG_ED25519);
        tls_wr_u16(&w, TLS_SIG_RSA_PSS_RSAE_SHA256);
        tls_hs_end(c, &w, m);
    }
    tls_write_certificate(c, &w);
    int r = tls_write_cert_verify(c, &w, true);
    if (r < 0)
        return r;

finished:;
    uint8_t th[TLS_HASH_MAX], fin[TLS_HASH_MAX];
    tls_hash_peek(&c->transcript, th);
    tls_finished_mac(c->hash_alg, s_hs, th, fin);
    m = tls_hs_begin(&w, TLS_HS_FINISHED);
    tls_wr_bytes(&w, fin, hl);
    tls_hs_end(c, &w, m);
    if (w.err || tls_tx_seal(c, TLS_CT_HANDSHAKE, w.len) < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    return APG_OK;
}

static int key_exchange(tls_conn *c, const ch_info *ch, uint8_t *pub, size_t *pub_len,
                        uint8_t shared[32])
{
    uint8_t priv[32];
    int r;
    if ((r = c->cfg->rng(c->cfg->rng_ctx, priv, sizeof priv)) < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
    if ((APOGEE_TLS_GROUPS & TLS_GROUPMASK_X25519) && c->group == TLS_GROUP_X25519) {
        if (APOGEE_TLS_X25519_LADDER_KEYGEN) {
            static const uint8_t nine[32] = {9};
            (void)crypto_x25519(pub, priv, nine);
        } else {
            crypto_x25519_public_key(pub, priv);
        }
        *pub_len = 32;
        r = crypto_x25519(shared, priv, ch->ks_x25519.p);
    } else if (APOGEE_TLS_GROUPS & TLS_GROUPMASK_P256) {
        for (unsigned tries = 0; (r = crypto_p256_public_key(pub, priv)) == APG_EINVAL; tries++)
            if (tries > 4 || c->cfg->rng(c->cfg->rng_ctx, priv, sizeof priv) < 0)
                break;
        *pub_len = 65;
        if (r == APG_OK)
            r = crypto_p256_ecdh(shared, priv, ch->ks_p256.p);
        else
            r = APG_EIO;
    } else {
        r = APG_EIO;
    }
    crypto_wipe(priv, sizeof priv);
    if (r == APG_EIO)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
    if (r < 0) /* 7.4: an all-zero X25519 result or an invalid point */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    return APG_OK;
}

static int on_client_hello(tls_conn *c, const uint8_t *msg, size_t len)
{
    ch_info ch;
    tls_rd r = {msg + 4, len - 4};
    int a = parse_client_hello(c, r, &ch);
    if (a)
        return tls_fail(c, (uint8_t)a, APG_EBADMSG);
    if (!ch.sv13) /* 4.2.1: a client without TLS 1.3 */
        return tls_fail(c, TLS_ALERT_PROTOCOL_VERSION, APG_ENOTSUP);
    if (!ch.comp_ok) /* 4.1.2 */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    if ((ch.seen & SEEN(TLS_EXT_PRE_SHARED_KEY)) && !(ch.seen & SEEN(TLS_EXT_PSK_KEY_EXCHANGE_MODES)))
        return tls_fail(c, TLS_ALERT_MISSING_EXTENSION, APG_EBADMSG); /* 4.2.9 */
    /* 9.2: without a PSK, these three are mandatory. */
    if (!(ch.seen & SEEN(TLS_EXT_SIGNATURE_ALGORITHMS)) ||
        !(ch.seen & SEEN(TLS_EXT_SUPPORTED_GROUPS)) || !(ch.seen & SEEN(TLS_EXT_KEY_SHARE)))
        return tls_fail(c, TLS_ALERT_MISSING_EXTENSION, APG_EBADMSG);
    if (!ch.suite)
        return tls_fail(c, TLS_ALERT_HANDSHAKE_FAILURE, APG_ENOTSUP);
    /* 4.2.8: every key share must be for an offered group. The masks here are
     * of both sides' groups, so only the client's own list is checked. */
    uint8_t has = (ch.ks_x25519.p ? TLS_GROUPMASK_X25519 : 0) |
                  (ch.ks_p256.p ? TLS_GROUPMASK_P256 : 0);
    uint8_t usable = has & ch.groups;
    uint16_t group = usable & TLS_GROUPMASK_X25519 ? TLS_GROUP_X25519
                     : usable & TLS_GROUPMASK_P256 ? TLS_GROUP_SECP256R1 : 0;
    if (c->state == TLS_ST_WAIT_CH2) {
        /* 4.1.4: the second ClientHello must answer the retry exactly. */
        if (ch.suite != c->suite || group != c->group)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
        c->flags &= (uint8_t)~TLS_F_EARLY_SKIP;
        if (ch.seen & SEEN(TLS_EXT_EARLY_DATA)) /* 4.2.10: not after a retry */
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    }
    if (!choose_identity(c, &ch)) /* 4.2.3: no signature scheme in common */
        return tls_fail(c, TLS_ALERT_HANDSHAKE_FAILURE, APG_ENOTSUP);
    c->suite = ch.suite;
    c->hash_alg = tls_suite_hash(ch.suite);
    if (!group) {
        group = ch.groups & TLS_GROUPMASK_X25519 ? TLS_GROUP_X25519
                : ch.groups & TLS_GROUPMASK_P256 ? TLS_GROUP_SECP256R1 : 0;
        if (!group)
            return tls_fail(c, TLS_ALERT_HANDSHAKE_FAILURE, APG_ENOTSUP);
        c->group = group;
        if (ch.seen & SEEN(TLS_EXT_EARLY_DATA))
            c->flags |= TLS_F_EARLY_SKIP;
        return send_hrr(c, msg, len, &ch);
    }
    c->group = group;

    /* ALPN (RFC 7301 3.2): the server's first protocol the client offers. */
    if (ch.alpn.p && c->cfg->alpn_count) {
        for (unsigned i = 0; i < c->cfg->alpn_count && !c->alpn_len; i++) {
            const char *want = c->cfg->alpn[i];
            size_t wl = strlen(want);
            tls_rd l = ch.alpn, e;
            while (tls_rd_vec(&l, 1, 1, 255, &e))
                if (e.n == wl && wl <= APOGEE_TLS_ALPN_MAX && memcmp(e.p, want, wl) == 0) {
                    memcpy(c->alpn, want, wl);
                    c->alpn[wl] = 0;
                    c->alpn_len = (uint8_t)wl;
                    break;
                }
        }
        if (!c->alpn_len)
            return tls_fail(c, TLS_ALERT_NO_APPLICATION_PROTOCOL, APG_ENOTSUP);
    }
    if (ch.sni.p) {
        size_t n = ch.sni.n < APOGEE_TLS_SNI_MAX ? ch.sni.n : APOGEE_TLS_SNI_MAX;
        memcpy(c->sni, ch.sni.p, n);
        c->sni[n] = 0;
        c->sni_len = (uint8_t)n;
    }
    /* Record sizes toward the client: RFC 8449 wins over RFC 6066's code. */
    if (ch.rsl) {
        c->flags |= TLS_F_RSL;
        c->peer_rec_max = ch.rsl - 1u < TLS_PLAINTEXT_MAX ? (uint16_t)(ch.rsl - 1u)
                                                           : TLS_PLAINTEXT_MAX;
    } else if (ch.mfl) {
        c->flags |= TLS_F_MFL;
        c->peer_rec_max = (uint16_t)(256u << ch.mfl);
    }
    if (ch.seen & SEEN(TLS_EXT_EARLY_DATA)) /* 0-RTT is never accepted: skip it */
        c->flags |= TLS_F_EARLY_SKIP;

    /* A ticket of ours, for a suite with this hash, young enough, with a
     * binder that proves the client holds its PSK: resume (psk_dhe_ke only,
     * so every connection still gets fresh (EC)DHE keys). */
    c->psk_len = 0;
    if (APOGEE_TLS_TICKETS && c->cfg->ticket_key && ch.psk_id.p && ch.psk_dhe) {
        uint16_t ts;
        uint8_t psk[TLS_HASH_MAX], pl, want[TLS_HASH_MAX];
        uint32_t issued, age_add;
        size_t hl = tls_hash_len(c->hash_alg);
        if (tls_ticket_open(c, ch.psk_id.p, ch.psk_id.n, &ts, psk, &pl, &issued, &age_add) ==
                APG_OK &&
            tls_suite_hash(ts) == c->hash_alg && pl == hl &&
            (uint32_t)(c->now_ms - issued) <= APOGEE_TLS_TICKET_LIFETIME_S * 1000u) {
            tls_psk_binder(c->hash_alg, psk, c->state == TLS_ST_WAIT_CH2 ? &c->transcript : NULL,
                           msg, (size_t)(ch.binders_at - msg), want);
            int ok = ch.psk_binder.n == hl && crypto_ct_equal(want, ch.psk_binder.p, hl);
            if (!ok) { /* 4.2.11.2 */
                crypto_wipe(psk, sizeof psk);
                return tls_fail(c, TLS_ALERT_DECRYPT_ERROR, APG_EAUTH);
            }
            memcpy(c->c_next, psk, hl); /* free until the application secrets */
            c->psk_len = (uint8_t)hl;
        }
        crypto_wipe(psk, sizeof psk);
    }

    /* First ClientHello: the transcript starts here (after a retry it already
     * holds message_hash and the HelloRetryRequest). */
    if (c->state == TLS_ST_WAIT_CH)
        tls_hash_init(&c->transcript, c->hash_alg);
    tls_hash_update(&c->transcript, msg, len);

    uint8_t pub[65], shared[32], random[32];
    size_t pub_len = 0;
    int rr;
    if ((rr = key_exchange(c, &ch, pub, &pub_len, shared)) < 0)
        return rr;
    if ((rr = c->cfg->rng(c->cfg->rng_ctx, random, sizeof random)) < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, rr);
    (void)tls_tx_room(c);
    tls_wr w = plain_writer(c);
    write_server_hello(c, &w, &ch, random, pub, pub_len);
    if (w.err)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_EMSGSIZE);
    plain_commit(c, &w);
    if (ch.sid.n && !(c->flags & TLS_F_HRR_SENT))
        write_ccs(c);

    /* 7.1: early secret (no PSK) -> handshake secret -> traffic secrets. */
    uint8_t early[TLS_HASH_MAX], th[TLS_HASH_MAX], s_hs[TLS_HASH_MAX];
    tls_early_secret(c, early);
    tls_next_stage(c->hash_alg, early, shared, 32, c->hs_secret);
    crypto_wipe(shared, sizeof shared);
    crypto_wipe(early, sizeof early);
    tls_hash_peek(&c->transcript, th);
    tls_derive_secret(c->hash_alg, c->hs_secret, "c hs traffic", th, c->c_secret);
    tls_derive_secret(c->hash_alg, c->hs_secret, "s hs traffic", th, s_hs);
    tls_aead_install(&c->wr, c->suite, s_hs);
    tls_aead_install(&c->rd, c->suite, c->c_secret);
    rr = send_flight(c, &ch, s_hs);
    crypto_wipe(s_hs, sizeof s_hs);
    if (rr < 0)
        return rr;
    /* Master secret and the application secrets over CH..server Finished. */
    tls_next_stage(c->hash_alg, c->hs_secret, NULL, 0, c->hs_secret);
    tls_hash_peek(&c->transcript, th);
    tls_derive_secret(c->hash_alg, c->hs_secret, "c ap traffic", th, c->c_next);
    tls_derive_secret(c->hash_alg, c->hs_secret, "s ap traffic", th, c->s_secret);
    tls_aead_install(&c->wr, c->suite, c->s_secret);
    c->flags |= TLS_F_KEY_CHANGE;
    c->state = c->cfg->client_auth ? TLS_ST_WAIT_CCERT : TLS_ST_WAIT_FINISHED;
    return APG_OK;
}

/* 4.6.1: one NewSessionTicket after the handshake. PSK = HKDF-Expand-Label(
 * resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
static int send_ticket(tls_conn *c)
{
    size_t hl = tls_hash_len(c->hash_alg);
    uint8_t th[TLS_HASH_MAX], res[TLS_HASH_MAX], psk[TLS_HASH_MAX], age[4];
    const uint8_t nonce[1] = {0};
    int r;
    if ((r = c->cfg->rng(c->cfg->rng_ctx, age, 4)) < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
    uint32_t age_add =
        (uint32_t)age[0] << 24 | (uint32_t)age[1] << 16 | (uint32_t)age[2] << 8 | age[3];
    tls_hash_peek(&c->transcript, th);
    tls_derive_secret(c->hash_alg, c->hs_secret, "res master", th, res);
    tls_expand_label(c->hash_alg, res, "resumption", nonce, 1, psk, hl);
    crypto_wipe(res, sizeof res);
    size_t tl = TLS_TICKET_LEN(hl), body = 4 + 4 + 2 + 2 + tl + 2;
    if (tls_tx_room(c) < TLS_RECORD_HEADER + 4 + body + 1 + TLS_AEAD_TAG)
        return APG_OK; /* no room now: no ticket this time (not an error) */
    tls_wr w = {c->tx + c->tx_len + TLS_RECORD_HEADER, 4 + body, 0, false};
    size_t m = tls_hs_begin(&w, TLS_HS_NEW_SESSION_TICKET);
    tls_wr_u16(&w, APOGEE_TLS_TICKET_LIFETIME_S >> 16);
    tls_wr_u16(&w, APOGEE_TLS_TICKET_LIFETIME_S & 0xFFFFu);
    tls_wr_u16(&w, age_add >> 16);
    tls_wr_u16(&w, age_add & 0xFFFFu);
    tls_wr_u8(&w, 1);
    tls_wr_bytes(&w, nonce, 1);
    tls_wr_u16(&w, (uint32_t)tl);
    uint8_t *t = tls_wr_reserve(&w, tl);
    tls_wr_u16(&w, 0);
    if (w.err || !t || tls_ticket_seal(c, psk, age_add, t) < 0) {
        crypto_wipe(psk, sizeof psk);
        return APG_OK;
    }
    crypto_wipe(psk, sizeof psk);
    tls_wr_close(&w, m, 3);
    (void)tls_tx_seal(c, TLS_CT_HANDSHAKE, w.len);
    return APG_OK;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t len)
{
    size_t hl = tls_hash_len(c->hash_alg);
    uint8_t th[TLS_HASH_MAX], want[TLS_HASH_MAX];
    if (len != 4 + hl)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    tls_hash_peek(&c->transcript, th);
    tls_finished_mac(c->hash_alg, c->c_secret, th, want);
    int ok = crypto_ct_equal(want, msg + 4, hl);
    crypto_wipe(want, sizeof want);
    if (!ok) /* 4.4.4 */
        return tls_fail(c, TLS_ALERT_DECRYPT_ERROR, APG_EAUTH);
    tls_hash_update(&c->transcript, msg, len);
    memcpy(c->c_secret, c->c_next, sizeof c->c_secret);
    crypto_wipe(c->c_next, sizeof c->c_next);
    tls_aead_install(&c->rd, c->suite, c->c_secret);
    c->flags |= TLS_F_KEY_CHANGE;
    c->state = TLS_ST_CONNECTED;
    if (APOGEE_TLS_TICKETS && c->cfg->ticket_key)
        return send_ticket(c);
    return APG_OK;
}

int tls_server_message(tls_conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[0];
    switch (c->state) {
    case TLS_ST_WAIT_CH:
    case TLS_ST_WAIT_CH2:
        if (type != TLS_HS_CLIENT_HELLO)
            break;
        if (c->hs_have || len > TLS_PLAINTEXT_MAX + 4u)
            break;
        return on_client_hello(c, msg, len);
    case TLS_ST_WAIT_CCERT: {
        if (!APOGEE_TLS_CLIENT_AUTH || type != TLS_HS_CERTIFICATE)
            break;
        int r = tls_on_peer_certificate(c, msg, len);
        if (r >= 0)
            c->state = r == 1 ? TLS_ST_WAIT_FINISHED : TLS_ST_WAIT_CCV;
        return r < 0 ? r : APG_OK;
    }
    case TLS_ST_WAIT_CCV: {
        if (!APOGEE_TLS_CLIENT_AUTH || type != TLS_HS_CERTIFICATE_VERIFY)
            break;
        int r = tls_on_peer_cert_verify(c, msg, len);
        if (r == APG_OK)
            c->state = TLS_ST_WAIT_FINISHED;
        return r;
    }
    case TLS_ST_WAIT_FINISHED:
        if (type != TLS_HS_FINISHED)
            break;
        return on_finished(c, msg, len);
    case TLS_ST_CONNECTED:
        if (type != TLS_HS_KEY_UPDATE)
            break;
        return tls_on_key_update(c, msg, len);
    default:
        break;
    }
    return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
}

/* A usable server identity whose first flight fits the transmit buffer:
 * APG_OK, APG_EINVAL or APG_EMSGSIZE (see tls_server_init). */
static int check_identity(const tls_identity *id)
{
    size_t chain = 0, cv = 80; /* CertificateVerify: header + scheme + DER ECDSA */
    if (!id->chain || !id->chain_len)
        return APG_EINVAL;
    if (APOGEE_TLS_RSA && id->key_scheme == TLS_SIG_RSA_PSS_RSAE_SHA256) {
        size_t k = id->rsa ? crypto_rsa_private_size(id->rsa) : 0;
        if (k < 256 || k > 512) /* not initialised, or outside 2048..4096 bits */
            return APG_EINVAL;
        cv = 8 + k;
    } else if (id->key_scheme != TLS_SIG_ECDSA_SECP256R1_SHA256 &&
               !(APOGEE_TLS_ED25519 && id->key_scheme == TLS_SIG_ED25519)) {
        return APG_EINVAL;
    } else if (!id->key) {
        return APG_EINVAL;
    }
    for (unsigned i = 0; i < id->chain_len; i++)
        chain += 5u + id->chain[i].len;
    /* ServerHello+CCS ~ 140, EE ~ 40 + ALPN, Certificate 7 + chain, CV,
     * Finished 52, two records' overhead 43; 64 bytes of slack (send_flight). */
    if (chain + 360u + cv + APOGEE_TLS_ALPN_MAX > APOGEE_TLS_TX_BUF)
        return APG_EMSGSIZE;
    return APG_OK;
}

int tls_server_init(tls_conn *c, const tls_config *cfg)
{
    if (!cfg || !cfg->rng)
        return APG_EINVAL;
    tls_identity own = {cfg->chain, cfg->chain_len, cfg->key_scheme, cfg->key, cfg->rsa};
    int r = check_identity(&own);
    if (r == APG_OK && cfg->alt)
        r = check_identity(cfg->alt);
    if (r < 0)
        return r;
    if (cfg->client_auth && (!APOGEE_TLS_CLIENT_AUTH || !cfg->anchors || !cfg->anchor_count))
        return APG_EINVAL;
    memset(c, 0, offsetof(tls_conn, rx));
    c->cfg = cfg;
    c->on_message = tls_server_message;
    c->alert_sent = c->alert_rcvd = 0xFF;
    c->peer_rec_max = TLS_PLAINTEXT_MAX;
    c->unix_time = -1;
    c->state = TLS_ST_WAIT_CH;
    return APG_OK;
}
