/* tls_tcp.c - TLS over a netstack/tcp socket; see tls_tcp.h. */
#include "tls_tcp.h"

#include "apogee/err.h"

void tls_tcp_attach(tls_tcp *t, struct tcp_stack *s, int sd, tls_conn *c)
{
    t->tcp = s;
    t->sd = sd;
    t->tls = c;
    t->closing = 0;
}

static int push(tls_tcp *t)
{
    const uint8_t *p;
    size_t n;
    while ((n = tls_output(t->tls, &p)) > 0) {
        int w = tcp_send(t->tcp, t->sd, p, n);
        if (w == APG_EAGAIN || w == 0)
            return APG_OK;
        if (w < 0)
            return w;
        tls_output_done(t->tls, (size_t)w);
    }
    return APG_OK;
}

int tls_tcp_pump(tls_tcp *t, uint64_t now_ms)
{
    int r = tls_poll(t->tls, (uint32_t)now_ms);
    if (r < 0)
        return r;
    r = push(t);
    if (r < 0)
        return r;
    for (;;) {
        uint8_t *p;
        size_t want = tls_input_space(t->tls, &p);
        if (want == 0)
            break;
        int got = tcp_recv(t->tcp, t->sd, p, want);
        if (got == APG_EAGAIN)
            break;
        if (got == 0) /* FIN: truncation unless close_notify came first */
            return tls_established(t->tls) ? APG_ECLOSED : APG_ECONNRESET;
        if (got < 0)
            return got;
        r = tls_input_commit(t->tls, (size_t)got, (uint32_t)now_ms);
        if (r < 0) {
            (void)push(t); /* the alert, as far as it fits */
            return r;
        }
    }
    r = push(t);
    if (r < 0)
        return r;
    return t->tls->state == TLS_ST_CLOSED ? APG_ECLOSED : APG_OK;
}

int tls_tcp_read(tls_tcp *t, uint8_t *buf, size_t cap, uint64_t now_ms)
{
    int r = tls_read(t->tls, buf, cap);
    if (r != APG_EAGAIN)
        return r;
    r = tls_tcp_pump(t, now_ms);
    int n = tls_read(t->tls, buf, cap);
    return n == APG_EAGAIN && r < 0 ? r : n;
}

int tls_tcp_write(tls_tcp *t, const uint8_t *data, size_t len, uint64_t now_ms)
{
    int n = tls_write(t->tls, data, len);
    if (n == APG_EAGAIN) {
        int r = tls_tcp_pump(t, now_ms);
        if (r < 0 && r != APG_ECLOSED)
            return r;
        n = tls_write(t->tls, data, len);
    }
    if (n > 0)
        (void)push(t);
    return n;
}

int tls_tcp_close(tls_tcp *t, uint64_t now_ms)
{
    (void)now_ms;
    if (!t->closing) {
        int r = tls_close(t->tls);
        if (r == APG_EAGAIN) {
            (void)push(t);
            return APG_EAGAIN;
        }
        t->closing = 1;
    }
    (void)push(t);
    const uint8_t *p;
    if (tls_output(t->tls, &p) > 0 && t->tls->state != TLS_ST_FAILED)
        return APG_EAGAIN;
    (void)tcp_close(t->tcp, t->sd);
    return APG_OK;
}
