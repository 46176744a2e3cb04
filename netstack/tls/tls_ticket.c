/*
 * tls_ticket.c - session tickets and PSK binders (RFC 8446 4.6.1, 4.2.11).
 *
 * Tickets are stateless: the server seals what resumption needs under its
 * ticket key and forgets it. Ticket = nonce (12) || AEAD(suite (2), issue time
 * in ms (4), age_add (4), psk length (1), psk) || tag (16); the AEAD is
 * ChaCha20-Poly1305 when compiled in, else AES-256-GCM. A ticket that does not
 * open is simply not used (full handshake), as 4.2.11 allows.
 */
#include <string.h>

#include "apogee/err.h"
#include "chacha20poly1305.h"
#include "ct.h"
#include "gcm.h"
#include "tls_defs.h"
#include "tls_internal.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int tls_ticket_seal(const tls_conn *c, const uint8_t *psk, uint32_t age_add, uint8_t *ticket)
{
    size_t hl = tls_hash_len(c->hash_alg), n = 11 + hl;
    uint8_t *pt = ticket + 12;
    int r;
    if ((r = c->cfg->rng(c->cfg->rng_ctx, ticket, 12)) < 0)
        return r;
    pt[0] = (uint8_t)(c->suite >> 8);
    pt[1] = (uint8_t)c->suite;
    put32(pt + 2, c->now_ms);
    put32(pt + 6, age_add);
    pt[10] = (uint8_t)hl;
    memcpy(pt + 11, psk, hl);
    if (APOGEE_TLS_SUITES & TLS_SUITE_CHACHA20) {
        crypto_chacha20poly1305_seal_appended(pt, c->cfg->ticket_key, ticket, NULL, 0, pt, n);
    } else {
        crypto_aes_gcm_ctx g;
        (void)crypto_aes_gcm_init(&g, c->cfg->ticket_key, 32);
        crypto_aes_gcm_seal_appended(&g, pt, ticket, NULL, 0, pt, n);
        crypto_aes_gcm_wipe(&g);
    }
    return APG_OK;
}

int tls_ticket_open(const tls_conn *c, const uint8_t *ticket, size_t len, uint16_t *suite,
                    uint8_t *psk, uint8_t *psk_len, uint32_t *issued_ms, uint32_t *age_add)
{
    uint8_t pt[11 + TLS_HASH_MAX];
    int n;
    if (len != TLS_TICKET_LEN(32) && len != TLS_TICKET_LEN(48))
        return APG_EAUTH;
    if (APOGEE_TLS_SUITES & TLS_SUITE_CHACHA20) {
        n = crypto_chacha20poly1305_open_appended(pt, c->cfg->ticket_key, ticket, NULL, 0,
                                                  ticket + 12, len - 12);
    } else {
        crypto_aes_gcm_ctx g;
        (void)crypto_aes_gcm_init(&g, c->cfg->ticket_key, 32);
        n = crypto_aes_gcm_open_appended(&g, pt, ticket, NULL, 0, ticket + 12, len - 12);
        crypto_aes_gcm_wipe(&g);
    }
    if (n < 11 || (size_t)n != 11u + pt[10] || (pt[10] != 32 && pt[10] != 48)) {
        crypto_wipe(pt, sizeof pt);
        return APG_EAUTH;
    }
    *suite = (uint16_t)(pt[0] << 8 | pt[1]);
    *issued_ms = get32(pt + 2);
    *age_add = get32(pt + 6);
    *psk_len = pt[10];
    memcpy(psk, pt + 11, pt[10]);
    crypto_wipe(pt, sizeof pt);
    return APG_OK;
}

void tls_early_secret(const tls_conn *c, uint8_t *early)
{
    /* A resumption PSK is always Hash.length bytes (4.6.1). */
    const uint8_t *psk = !c->psk_len ? NULL : c->client ? c->session->psk : c->c_next;
    tls_hkdf_extract(c->hash_alg, NULL, psk, early);
}

void tls_psk_binder(uint8_t alg, const uint8_t *psk, const tls_hash *prefix,
                    const uint8_t *trunc, size_t trunc_len, uint8_t *out)
{
    uint8_t early[TLS_HASH_MAX], empty[TLS_HASH_MAX], bk[TLS_HASH_MAX], th[TLS_HASH_MAX];
    tls_hkdf_extract(alg, NULL, psk, early);
    tls_hash_once(alg, NULL, 0, empty);
    tls_derive_secret(alg, early, "res binder", empty, bk);
    tls_hash h;
    if (prefix)
        h = *prefix;
    else
        tls_hash_init(&h, alg);
    tls_hash_update(&h, trunc, trunc_len);
    tls_hash_peek(&h, th);
    tls_finished_mac(alg, bk, th, out);
    crypto_wipe(early, sizeof early);
    crypto_wipe(bk, sizeof bk);
}
