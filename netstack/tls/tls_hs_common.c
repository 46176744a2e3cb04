/*
 * tls_hs_common.c - handshake pieces both ends use: our Certificate and
 * CertificateVerify (4.4.2, 4.4.3) and KeyUpdate (4.6.3).
 */
#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "ecdsa_der.h"
#include "ecdsa_p256.h"
#include "ed25519.h"
#include "sha256.h"
#include "tls_defs.h"
#include "rsa_sign.h"
#include "rsa_verify.h"
#include "sha512.h"
#include "tls_internal.h"
#include "tls_x509.h"

tls_identity tls_own_identity(const tls_conn *c)
{
    const tls_config *cfg = c->cfg;
    if (c->ident && cfg->alt)
        return *cfg->alt;
    tls_identity id = {cfg->chain, cfg->chain_len, cfg->key_scheme, cfg->key, cfg->rsa};
    return id;
}

void tls_write_certificate(tls_conn *c, tls_wr *w)
{
    tls_identity id = tls_own_identity(c);
    size_t m = tls_hs_begin(w, TLS_HS_CERTIFICATE);
    tls_wr_u8(w, 0); /* certificate_request_context: empty in the handshake */
    size_t list = tls_wr_open(w, 3);
    for (unsigned i = 0; i < id.chain_len; i++) {
        tls_wr_u24(w, id.chain[i].len);
        tls_wr_bytes(w, id.chain[i].der, id.chain[i].len);
        tls_wr_u16(w, 0);
    }
    tls_wr_close(w, list, 3);
    tls_hs_end(c, w, m);
}

/* RSA-PSS (4.2.3 rsa_pss_rsae_*): hash the content with the scheme's hash,
 * then crypto_rsa_pss_sign (salt = hash length, from the key context's rng;
 * the signature is checked with the public key before it is released). */
static int sign_rsa_pss(struct crypto_rsa_private_ctx *rsa, uint16_t scheme, const uint8_t *tbs,
                        size_t tbs_len, uint8_t *sig, size_t cap, size_t *sig_len)
{
    uint8_t digest[48];
    size_t dl;
    enum crypto_rsa_hash h;
    if (scheme == TLS_SIG_RSA_PSS_RSAE_SHA384) {
        crypto_sha384(tbs, tbs_len, digest);
        dl = 48;
        h = CRYPTO_RSA_SHA384;
    } else {
        crypto_sha256(tbs, tbs_len, digest);
        dl = 32;
        h = CRYPTO_RSA_SHA256;
    }
    return crypto_rsa_pss_sign(rsa, h, digest, dl, sig, cap, sig_len);
}

int tls_write_cert_verify(tls_conn *c, tls_wr *w, bool server)
{
    tls_identity id = tls_own_identity(c);
    uint16_t scheme = server ? c->sig_scheme : id.key_scheme;
    size_t hl = tls_hash_len(c->hash_alg);
    /* 4.4.3: sign 64 spaces, the context string, a zero, the transcript hash. */
    uint8_t tbs[64 + 33 + 1 + TLS_HASH_MAX];
    memset(tbs, 0x20, 64);
    memcpy(tbs + 64, server ? "TLS 1.3, server CertificateVerify"
                            : "TLS 1.3, client CertificateVerify", 33);
    tbs[97] = 0;
    tls_hash_peek(&c->transcript, tbs + 98);
    /* An RSA signature is as long as the modulus (up to 512 bytes); the
     * others fit in an ECDSA DER signature's room (72 >= Ed25519's 64), so
     * images without RSA keep the smaller stack. */
    uint8_t sig[APOGEE_TLS_RSA ? CRYPTO_RSA_MAX_BYTES : CRYPTO_ECDSA_P256_DER_MAX];
    size_t sig_len;
    if (APOGEE_TLS_RSA &&
        (scheme == TLS_SIG_RSA_PSS_RSAE_SHA256 || scheme == TLS_SIG_RSA_PSS_RSAE_SHA384)) {
        if (!id.rsa)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_ESTATE);
        int r = sign_rsa_pss(id.rsa, scheme, tbs, 98 + hl, sig, sizeof sig, &sig_len);
        if (r < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
    } else if (APOGEE_TLS_ED25519 && scheme == TLS_SIG_ED25519) {
        crypto_ed25519_sign(sig, id.key, tbs, 98 + hl);
        sig_len = 64;
    } else {
        uint8_t digest[32], raw[64];
        crypto_sha256(tbs, 98 + hl, digest);
        int r = crypto_ecdsa_p256_sign(raw, digest, 32, id.key);
        if (r < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
        r = crypto_ecdsa_sig_to_der(sig, CRYPTO_ECDSA_P256_DER_MAX, raw, 32);
        crypto_wipe(raw, sizeof raw);
        if (r < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
        sig_len = (size_t)r;
    }
    size_t m = tls_hs_begin(w, TLS_HS_CERTIFICATE_VERIFY);
    tls_wr_u16(w, scheme);
    tls_wr_u16(w, (uint32_t)sig_len);
    tls_wr_bytes(w, sig, sig_len);
    tls_hs_end(c, w, m);
    return APG_OK;
}

void tls_next_traffic_secret(tls_conn *c, uint8_t *secret)
{
    uint8_t t[TLS_HASH_MAX];
    size_t hl = tls_hash_len(c->hash_alg);
    tls_expand_label(c->hash_alg, secret, "traffic upd", NULL, 0, t, hl);
    memcpy(secret, t, hl);
    crypto_wipe(t, sizeof t);
}

int tls_on_key_update(tls_conn *c, const uint8_t *msg, size_t len)
{
    uint8_t *peer = c->client ? c->s_secret : c->c_secret;
    uint8_t *mine = c->client ? c->c_secret : c->s_secret;
    if (len != 5)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    if (msg[4] > 1) /* 4.6.3 */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    tls_next_traffic_secret(c, peer);
    tls_aead_install(&c->rd, c->suite, peer);
    c->flags |= TLS_F_KEY_CHANGE;
    if (msg[4] == 1 && !(c->flags & TLS_F_CLOSE_SENT)) {
        /* Answer with update_not_requested under the old key, then switch. */
        if (tls_tx_room(c) < TLS_RECORD_HEADER + 5 + 1 + TLS_AEAD_TAG)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, APG_ENOMEM);
        uint8_t *p = c->tx + c->tx_len + TLS_RECORD_HEADER;
        p[0] = TLS_HS_KEY_UPDATE;
        p[1] = p[2] = 0;
        p[3] = 1;
        p[4] = 0;
        (void)tls_tx_seal(c, TLS_CT_HANDSHAKE, 5);
        tls_next_traffic_secret(c, mine);
        tls_aead_install(&c->wr, c->suite, mine);
    }
    return APG_OK;
}

int tls_key_update(tls_conn *c, bool request_peer)
{
    if (c->state != TLS_ST_CONNECTED || (c->flags & TLS_F_CLOSE_SENT))
        return c->state == TLS_ST_FAILED ? c->err : APG_ESTATE;
    if (tls_tx_room(c) < TLS_RECORD_HEADER + 5 + 1 + TLS_AEAD_TAG)
        return APG_EAGAIN;
    uint8_t *mine = c->client ? c->c_secret : c->s_secret;
    uint8_t *p = c->tx + c->tx_len + TLS_RECORD_HEADER;
    p[0] = TLS_HS_KEY_UPDATE;
    p[1] = p[2] = 0;
    p[3] = 1;
    p[4] = request_peer ? 1 : 0;
    (void)tls_tx_seal(c, TLS_CT_HANDSHAKE, 5);
    tls_next_traffic_secret(c, mine);
    tls_aead_install(&c->wr, c->suite, mine);
    return APG_OK;
}

int tls_on_peer_certificate(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, ctx, list, cert, ext;
    tls_rd chain[APOGEE_TLS_CHAIN_MAX], anchors[8];
    size_t n = 0;
    if (!tls_rd_vec(&r, 1, 0, 255, &ctx) || !tls_rd_vec(&r, 3, 0, 0xFFFFFF, &list) || r.n)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    if (ctx.n)
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    if (!list.n) { /* 4.4.2.4: a server must send one; a client may send none */
        if (c->client || (c->cfg->client_auth == TLS_CLIENT_AUTH_REQUIRE))
            return tls_fail(c, c->client ? TLS_ALERT_DECODE_ERROR
                                         : TLS_ALERT_CERTIFICATE_REQUIRED, APG_EAUTH);
        tls_hash_update(&c->transcript, msg, len);
        return 1; /* no certificate, so no CertificateVerify follows */
    }
    while (list.n) {
        if (!tls_rd_vec(&list, 3, 1, 0xFFFFFF, &cert) || !tls_rd_vec(&list, 2, 0, 65535, &ext))
            return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
        if (ext.n) /* no status_request or SCT was offered */
            return tls_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, APG_EBADMSG);
        if (n == APOGEE_TLS_CHAIN_MAX)
            return tls_fail(c, TLS_ALERT_BAD_CERTIFICATE, APG_EMSGSIZE);
        chain[n++] = cert;
    }
    size_t na = c->cfg->anchor_count < 8 ? c->cfg->anchor_count : 8;
    for (size_t i = 0; i < na; i++) {
        anchors[i].p = c->cfg->anchors[i].der;
        anchors[i].n = c->cfg->anchors[i].len;
    }
    x509_cert leaf;
    int a = x509_verify_chain(chain, n, anchors, na, c->unix_time,
                              c->client ? c->peer_name : NULL,
                              c->client ? X509_PURPOSE_SERVER : X509_PURPOSE_CLIENT, &leaf);
    if (a)
        return tls_fail(c, (uint8_t)a, APG_EAUTH);
    c->peer_key_type = leaf.key_type;
    if (leaf.key_type == X509_KEY_RSA) {
        if (leaf.rsa_n.n + leaf.rsa_e.n > sizeof c->peer_key)
            return tls_fail(c, TLS_ALERT_UNSUPPORTED_CERTIFICATE, APG_ENOTSUP);
        memcpy(c->peer_key, leaf.rsa_n.p, leaf.rsa_n.n);
        memcpy(c->peer_key + leaf.rsa_n.n, leaf.rsa_e.p, leaf.rsa_e.n);
        c->peer_rsa_n_len = (uint16_t)leaf.rsa_n.n;
        c->peer_key_len = (uint16_t)(leaf.rsa_n.n + leaf.rsa_e.n);
    } else {
        memcpy(c->peer_key, leaf.key.p, leaf.key.n);
        c->peer_key_len = (uint16_t)leaf.key.n;
    }
    tls_hash_update(&c->transcript, msg, len);
    return APG_OK;
}

int tls_on_peer_cert_verify(tls_conn *c, const uint8_t *msg, size_t len)
{
    tls_rd r = {msg + 4, len - 4}, sig;
    uint32_t scheme;
    if (!tls_rd_u16(&r, &scheme) || !tls_rd_vec(&r, 2, 1, 65535, &sig) || r.n)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    uint8_t want = scheme == TLS_SIG_ECDSA_SECP256R1_SHA256 ? X509_KEY_P256
                   : scheme == TLS_SIG_ED25519              ? X509_KEY_ED25519
                   : scheme == TLS_SIG_RSA_PSS_RSAE_SHA256  ? X509_KEY_RSA : X509_KEY_NONE;
    if (want == X509_KEY_NONE || want != c->peer_key_type) /* 4.4.3 */
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, APG_EBADMSG);
    size_t hl = tls_hash_len(c->hash_alg);
    uint8_t tbs[64 + 33 + 1 + TLS_HASH_MAX], digest[32];
    memset(tbs, 0x20, 64);
    memcpy(tbs + 64, c->client ? "TLS 1.3, server CertificateVerify"
                                : "TLS 1.3, client CertificateVerify", 33);
    tbs[97] = 0;
    tls_hash_peek(&c->transcript, tbs + 98);
    crypto_sha256(tbs, 98 + hl, digest);
    int ok;
    if (want == X509_KEY_P256) {
        uint8_t raw[64];
        ok = crypto_ecdsa_sig_from_der(raw, 32, sig.p, sig.n) == APG_OK &&
             crypto_ecdsa_p256_verify(digest, 32, c->peer_key, raw) == APG_OK;
    } else if (want == X509_KEY_ED25519) {
        ok = sig.n == 64 && crypto_ed25519_verify(sig.p, c->peer_key, tbs, 98 + hl) == APG_OK;
    } else {
        ok = crypto_rsa_verify_pss(c->peer_key, c->peer_rsa_n_len, c->peer_key + c->peer_rsa_n_len,
                                   c->peer_key_len - c->peer_rsa_n_len, CRYPTO_RSA_SHA256, digest,
                                   32, sig.p, sig.n, CRYPTO_RSA_PSS_SALT_HASH_LEN) == APG_OK;
    }
    if (!ok)
        return tls_fail(c, TLS_ALERT_DECRYPT_ERROR, APG_EAUTH);
    tls_hash_update(&c->transcript, msg, len);
    return APG_OK;
}

