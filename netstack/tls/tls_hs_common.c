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
#include "tls_internal.h"

void tls_write_certificate(tls_conn *c, tls_wr *w)
{
    const tls_config *cfg = c->cfg;
    size_t m = tls_hs_begin(w, TLS_HS_CERTIFICATE);
    tls_wr_u8(w, 0); /* certificate_request_context: empty in the handshake */
    size_t list = tls_wr_open(w, 3);
    for (unsigned i = 0; i < cfg->chain_len; i++) {
        tls_wr_u24(w, cfg->chain[i].len);
        tls_wr_bytes(w, cfg->chain[i].der, cfg->chain[i].len);
        tls_wr_u16(w, 0);
    }
    tls_wr_close(w, list, 3);
    tls_hs_end(c, w, m);
}

int tls_write_cert_verify(tls_conn *c, tls_wr *w, bool server)
{
    const tls_config *cfg = c->cfg;
    size_t hl = tls_hash_len(c->hash_alg);
    /* 4.4.3: sign 64 spaces, the context string, a zero, the transcript hash. */
    uint8_t tbs[64 + 33 + 1 + TLS_HASH_MAX];
    memset(tbs, 0x20, 64);
    memcpy(tbs + 64, server ? "TLS 1.3, server CertificateVerify"
                            : "TLS 1.3, client CertificateVerify", 33);
    tbs[97] = 0;
    tls_hash_peek(&c->transcript, tbs + 98);
    uint8_t sig[CRYPTO_ECDSA_P256_DER_MAX];
    size_t sig_len;
    if (cfg->key_scheme == TLS_SIG_ED25519) {
        crypto_ed25519_sign(sig, cfg->key, tbs, 98 + hl);
        sig_len = 64;
    } else {
        uint8_t digest[32], raw[64];
        crypto_sha256(tbs, 98 + hl, digest);
        int r = crypto_ecdsa_p256_sign(raw, digest, 32, cfg->key);
        if (r < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
        r = crypto_ecdsa_sig_to_der(sig, sizeof sig, raw, 32);
        crypto_wipe(raw, sizeof raw);
        if (r < 0)
            return tls_fail(c, TLS_ALERT_INTERNAL_ERROR, r);
        sig_len = (size_t)r;
    }
    size_t m = tls_hs_begin(w, TLS_HS_CERTIFICATE_VERIFY);
    tls_wr_u16(w, cfg->key_scheme);
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
