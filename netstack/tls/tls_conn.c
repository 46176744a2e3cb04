/*
 * tls_conn.c - the record layer of a TLS 1.3 connection: assembling records
 * from the input, checking their framing, removing protection and padding,
 * dispatching handshake, alert and application content, and queuing outgoing
 * records. The handshake itself is in tls_server.c.
 */
#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "tls_defs.h"
#include "tls_internal.h"

size_t tls_conn_size(void) { return sizeof(tls_conn); }

size_t tls_tx_room(tls_conn *c)
{
    if (c->tx_off == c->tx_len) {
        c->tx_off = c->tx_len = 0;
    } else if (c->tx_off > 0) {
        memmove(c->tx, c->tx + c->tx_off, c->tx_len - c->tx_off);
        c->tx_len -= c->tx_off;
        c->tx_off = 0;
    }
    return sizeof c->tx - c->tx_len;
}

int tls_tx_seal(tls_conn *c, uint8_t type, size_t len)
{
    size_t m = c->peer_rec_max, k = len ? (len + m - 1) / m : 1;
    size_t start = c->tx_len, over = TLS_RECORD_HEADER + 1 + TLS_AEAD_TAG;
    if (c->tx_len + len + k * over > sizeof c->tx)
        return APG_EMSGSIZE;
    /* Content was written as one run after one header; spread it into k records,
     * the last chunk first so no chunk overwrites one not yet moved. */
    for (size_t i = k; i-- > 0;) {
        size_t n = i + 1 < k ? m : len - i * m;
        memmove(c->tx + start + i * (m + over) + TLS_RECORD_HEADER,
                c->tx + start + TLS_RECORD_HEADER + i * m, n);
    }
    for (size_t i = 0; i < k; i++) {
        size_t n = i + 1 < k ? m : len - i * m;
        uint8_t *rec = c->tx + start + i * (m + over);
        rec[TLS_RECORD_HEADER + n] = type;
        c->tx_len += tls_aead_seal(&c->wr, rec, n + 1);
    }
    return APG_OK;
}

static void queue_alert(tls_conn *c, uint8_t desc)
{
    uint8_t level = desc == TLS_ALERT_CLOSE_NOTIFY || desc == TLS_ALERT_USER_CANCELED ? 1 : 2;
    size_t room = tls_tx_room(c);
    if (c->wr.suite) {
        if (room < TLS_RECORD_HEADER + 3 + TLS_AEAD_TAG)
            return;
        c->tx[c->tx_len + 5] = level;
        c->tx[c->tx_len + 6] = desc;
        (void)tls_tx_seal(c, TLS_CT_ALERT, 2);
    } else {
        if (room < TLS_RECORD_HEADER + 2)
            return;
        const uint8_t rec[7] = {TLS_CT_ALERT, 3, 3, 0, 2, level, desc};
        memcpy(c->tx + c->tx_len, rec, sizeof rec);
        c->tx_len += sizeof rec;
    }
    c->alert_sent = desc;
}

static void wipe_secrets(tls_conn *c)
{
    crypto_wipe(c->hs_secret, sizeof c->hs_secret);
    crypto_wipe(c->c_secret, sizeof c->c_secret);
    crypto_wipe(c->c_next, sizeof c->c_next);
    crypto_wipe(c->s_secret, sizeof c->s_secret);
    crypto_wipe(&c->transcript, sizeof c->transcript);
}

int tls_fail(tls_conn *c, uint8_t alert, int err)
{
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (alert != 0xFF)
        queue_alert(c, alert);
    wipe_secrets(c);
    tls_aead_wipe(&c->rd);
    tls_aead_wipe(&c->wr);
    crypto_wipe(c->rx, sizeof c->rx);
    crypto_wipe(c->hs, sizeof c->hs);
    c->rx_have = c->app_len = c->hs_have = 0;
    c->state = TLS_ST_FAILED;
    c->err = err;
    return err;
}

static int dispatch(tls_conn *c, const uint8_t *msg, size_t len)
{
    return c->on_message(c, msg, len);
}

/* Handshake content: whole messages are handled in place; a message split over
 * records is gathered in c->hs first. */
static int hs_feed(tls_conn *c, const uint8_t *p, size_t n)
{
    if (n == 0)
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    while (n) {
        int r;
        if (c->flags & TLS_F_KEY_CHANGE) /* 5.1: no message may share a record */
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG); /* across keys */
        if (c->hs_have == 0 && n >= 4) {
            size_t mlen = 4 + ((size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]);
            if (mlen <= n) {
                if ((r = dispatch(c, p, mlen)) < 0)
                    return r;
                p += mlen;
                n -= mlen;
                continue;
            }
        }
        size_t want = c->hs_have < 4
                          ? 4 - c->hs_have
                          : 4 + ((size_t)c->hs[1] << 16 | (size_t)c->hs[2] << 8 | c->hs[3]) -
                                c->hs_have;
        size_t take = want < n ? want : n;
        if (c->hs_have + take > sizeof c->hs)
            return tls_fail(c, TLS_ALERT_HANDSHAKE_FAILURE, APG_EMSGSIZE);
        memcpy(c->hs + c->hs_have, p, take);
        c->hs_have += take;
        p += take;
        n -= take;
        if (c->hs_have >= 4) {
            size_t total = 4 + ((size_t)c->hs[1] << 16 | (size_t)c->hs[2] << 8 | c->hs[3]);
            if (total > sizeof c->hs)
                return tls_fail(c, TLS_ALERT_HANDSHAKE_FAILURE, APG_EMSGSIZE);
            if (c->hs_have == total) {
                c->hs_have = 0;
                if ((r = dispatch(c, c->hs, total)) < 0)
                    return r;
            }
        }
    }
    return APG_OK;
}

static int on_alert(tls_conn *c, const uint8_t *p, size_t n)
{
    if (n != 2)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, APG_EBADMSG);
    c->alert_rcvd = p[1];
    if (p[1] == TLS_ALERT_USER_CANCELED)
        return APG_OK; /* 6.1: a close_notify follows */
    if (p[1] == TLS_ALERT_CLOSE_NOTIFY) {
        if (c->state != TLS_ST_CONNECTED)
            return tls_fail(c, 0xFF, APG_ECONNRESET);
        if (!(c->flags & TLS_F_CLOSE_SENT)) {
            queue_alert(c, TLS_ALERT_CLOSE_NOTIFY);
            c->flags |= TLS_F_CLOSE_SENT;
        }
        c->state = TLS_ST_CLOSED;
        return APG_OK;
    }
    /* 6.2: every other alert is fatal whatever its level says. */
    return tls_fail(c, 0xFF, APG_ECONNRESET);
}

static bool handshaking(const tls_conn *c)
{
    return (c->state >= TLS_ST_WAIT_CH2 && c->state <= TLS_ST_WAIT_CCV) ||
           (c->state >= TLS_ST_C_WAIT_SH && c->state <= TLS_ST_C_WAIT_FIN);
}

/* The header is complete: reject bad framing before waiting for the body. */
static int check_header(tls_conn *c)
{
    uint8_t type = c->rx[0];
    size_t len = (size_t)c->rx[3] << 8 | c->rx[4];
    if (type < TLS_CT_CCS || type > TLS_CT_APPDATA)
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    if (c->state == TLS_ST_WAIT_CH && type != TLS_CT_HANDSHAKE && type != TLS_CT_ALERT)
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    /* 5.1 and 5.2: plaintext at most 2^14, ciphertext at most 2^14 + 256. */
    if (len > (c->rd.suite && type == TLS_CT_APPDATA ? TLS_CIPHERTEXT_MAX : TLS_PLAINTEXT_MAX))
        return tls_fail(c, TLS_ALERT_RECORD_OVERFLOW, APG_EMSGSIZE);
    if (TLS_RECORD_HEADER + len > sizeof c->rx)
        return tls_fail(c, TLS_ALERT_RECORD_OVERFLOW, APG_EMSGSIZE);
    return APG_OK;
}

static int on_record(tls_conn *c)
{
    uint8_t type = c->rx[0];
    size_t len = (size_t)c->rx[3] << 8 | c->rx[4];
    uint8_t *body = c->rx + TLS_RECORD_HEADER;
    c->rx_have = 0;
    c->flags &= (uint8_t)~TLS_F_KEY_CHANGE;
    if (type == TLS_CT_CCS) {
        /* 5: a plaintext 0x01 is dropped during the handshake, nothing else. */
        if (len == 1 && body[0] == 1 && handshaking(c))
            return APG_OK;
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    }
    if (c->rd.suite && type == TLS_CT_ALERT && handshaking(c) && len == 2) {
        /* A peer that failed before it had our keys alerts in plaintext:
         * take it (it can only end the connection). */
    } else if (c->rd.suite) {
        if (type != TLS_CT_APPDATA)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
        int n = tls_aead_open(&c->rd, c->rx, len);
        if (n == APG_EAUTH && (c->flags & TLS_F_EARLY_SKIP)) {
            c->early_skip += (uint32_t)len;
            if (c->early_skip > TLS_EARLY_SKIP_MAX)
                return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
            return APG_OK;
        }
        if (n < 0)
            return tls_fail(c, n == APG_EAUTH ? TLS_ALERT_BAD_RECORD_MAC
                                              : TLS_ALERT_DECODE_ERROR, n);
        c->flags &= (uint8_t)~TLS_F_EARLY_SKIP;
        /* Strip the zero padding; the last non-zero byte is the real type. */
        size_t i = (size_t)n;
        while (i > 0 && body[i - 1] == 0)
            i--;
        if (i == 0)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
        type = body[i - 1];
        len = i - 1;
        if (len > TLS_PLAINTEXT_MAX)
            return tls_fail(c, TLS_ALERT_RECORD_OVERFLOW, APG_EMSGSIZE);
        if (type != TLS_CT_ALERT && type != TLS_CT_HANDSHAKE && type != TLS_CT_APPDATA)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    } else if (type == TLS_CT_APPDATA) {
        /* Plaintext application data: only 0-RTT after a HelloRetryRequest,
         * which is skipped (4.2.10); anything else is out of place. */
        if (c->state == TLS_ST_WAIT_CH2 && (c->flags & TLS_F_EARLY_SKIP)) {
            c->early_skip += (uint32_t)len;
            if (c->early_skip <= TLS_EARLY_SKIP_MAX)
                return APG_OK;
        }
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    }
    if (c->hs_have && type != TLS_CT_HANDSHAKE) /* 5.1: no interleaving */
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
    switch (type) {
    case TLS_CT_ALERT:
        return on_alert(c, body, len);
    case TLS_CT_HANDSHAKE:
        return hs_feed(c, body, len);
    default: /* application data */
        if (c->state != TLS_ST_CONNECTED)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, APG_EBADMSG);
        c->app_off = TLS_RECORD_HEADER;
        c->app_len = len;
        return APG_OK;
    }
}

size_t tls_input_space(tls_conn *c, uint8_t **p)
{
    *p = c->rx + c->rx_have;
    if (c->app_len || c->state == TLS_ST_FAILED || c->state == TLS_ST_CLOSED ||
        c->state == TLS_ST_IDLE)
        return 0;
    return c->rx_have < TLS_RECORD_HEADER
               ? TLS_RECORD_HEADER - c->rx_have
               : TLS_RECORD_HEADER + ((size_t)c->rx[3] << 8 | c->rx[4]) - c->rx_have;
}

int tls_poll(tls_conn *c, uint32_t now_ms)
{
    uint32_t limit = c->cfg && c->cfg->handshake_ms ? c->cfg->handshake_ms
                                                     : APOGEE_TLS_HANDSHAKE_MS;
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if ((c->flags & TLS_F_STARTED) && !tls_handshake_done(c) &&
        (uint32_t)(now_ms - c->hs_start_ms) > limit)
        return tls_fail(c, 0xFF, APG_ETIMEDOUT);
    return APG_OK;
}

int tls_input_commit(tls_conn *c, size_t n, uint32_t now_ms)
{
    uint8_t *p;
    int r;
    c->now_ms = now_ms;
    if (!(c->flags & TLS_F_STARTED)) {
        c->flags |= TLS_F_STARTED;
        c->hs_start_ms = now_ms;
    }
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (c->state == TLS_ST_CLOSED)
        return APG_ECLOSED;
    if (n > tls_input_space(c, &p))
        return APG_EINVAL;
    c->rx_have += n;
    if (c->rx_have < TLS_RECORD_HEADER)
        return APG_OK;
    if (c->rx_have == TLS_RECORD_HEADER && n && (r = check_header(c)) < 0)
        return r;
    if (c->rx_have == TLS_RECORD_HEADER + ((size_t)c->rx[3] << 8 | c->rx[4]) &&
        (r = on_record(c)) < 0)
        return r;
    return APG_OK;
}

int tls_input(tls_conn *c, const uint8_t *data, size_t len, uint32_t now_ms)
{
    size_t used = 0;
    c->now_ms = now_ms;
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (c->state == TLS_ST_CLOSED)
        return APG_ECLOSED;
    if (c->state == TLS_ST_IDLE)
        return APG_ESTATE;
    while (used < len) {
        uint8_t *p;
        size_t need = tls_input_space(c, &p);
        if (need == 0)
            break;
        size_t take = need < len - used ? need : len - used;
        memcpy(p, data + used, take);
        used += take;
        int r = tls_input_commit(c, take, now_ms);
        if (r < 0)
            return r;
    }
    return (int)used;
}

size_t tls_output(tls_conn *c, const uint8_t **p)
{
    *p = c->tx + c->tx_off;
    return c->tx_len - c->tx_off;
}

void tls_output_done(tls_conn *c, size_t n)
{
    if (n > c->tx_len - c->tx_off)
        n = c->tx_len - c->tx_off;
    c->tx_off += n;
    if (c->tx_off == c->tx_len)
        c->tx_off = c->tx_len = 0;
}

int tls_read(tls_conn *c, uint8_t *buf, size_t cap)
{
    if (c->app_len) {
        size_t n = c->app_len < cap ? c->app_len : cap;
        if (n > 0x7fffffff)
            n = 0x7fffffff;
        memcpy(buf, c->rx + c->app_off, n);
        c->app_off += n;
        c->app_len -= n;
        return (int)n;
    }
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (c->state == TLS_ST_CLOSED)
        return APG_ECLOSED;
    return APG_EAGAIN;
}

int tls_write(tls_conn *c, const uint8_t *data, size_t len)
{
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (c->state != TLS_ST_CONNECTED || (c->flags & TLS_F_CLOSE_SENT))
        return c->state == TLS_ST_CLOSED ? APG_ECLOSED : APG_ESTATE;
    size_t room = tls_tx_room(c), over = TLS_RECORD_HEADER + 1 + TLS_AEAD_TAG;
    if (room <= over)
        return APG_EAGAIN;
    size_t n = room - over;
    if (n > c->peer_rec_max)
        n = c->peer_rec_max;
    if (n > len)
        n = len;
    if (n > 0x7fffffff)
        n = 0x7fffffff;
    memcpy(c->tx + c->tx_len + TLS_RECORD_HEADER, data, n);
    (void)tls_tx_seal(c, TLS_CT_APPDATA, n);
    return (int)n;
}

int tls_close(tls_conn *c)
{
    if (c->state == TLS_ST_FAILED)
        return c->err;
    if (c->flags & TLS_F_CLOSE_SENT)
        return APG_OK;
    size_t need = c->wr.suite ? TLS_RECORD_HEADER + 3 + TLS_AEAD_TAG : TLS_RECORD_HEADER + 2;
    if (tls_tx_room(c) < need)
        return APG_EAGAIN;
    queue_alert(c, TLS_ALERT_CLOSE_NOTIFY);
    c->flags |= TLS_F_CLOSE_SENT;
    return APG_OK;
}

void tls_release(tls_conn *c) { crypto_wipe(c, sizeof *c); }
