/* tls_posix.c - blocking socket transport for host tests; see tls_posix.h. */
#define _GNU_SOURCE
#include "tls_posix.h"

#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "apogee/err.h"

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts); /* tickets outlive a process in the tests */
    return (uint32_t)(ts.tv_sec * 1000u + (uint32_t)(ts.tv_nsec / 1000000));
}

void tls_posix_init(tls_posix *t, int fd, tls_conn *c)
{
    t->fd = fd;
    t->c = c;
    t->in_off = t->in_len = 0;
    t->idle = 0;
}

int tls_posix_flush(tls_posix *t)
{
    const uint8_t *p;
    size_t n;
    while ((n = tls_output(t->c, &p)) > 0) {
        ssize_t w = send(t->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        tls_output_done(t->c, (size_t)w);
    }
    return 0;
}

/* Feed buffered bytes, receiving more when none is left. */
static int pump(tls_posix *t)
{
    if (t->in_off == t->in_len) {
        ssize_t r;
        for (;;) {
            r = recv(t->fd, t->in, sizeof t->in, 0);
            if (r >= 0)
                break;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* the socket's receive timeout: run the engine's timers */
                int e = tls_poll(t->c, now_ms());
                if (e < 0)
                    return e;
                if (++t->idle > 20) /* silent for 20 timeouts: give up */
                    return APG_ECONNRESET;
                continue;
            }
            break;
        }
        t->idle = 0;
        if (r <= 0)
            return APG_ECONNRESET;
        t->in_off = 0;
        t->in_len = (size_t)r;
    }
    int used = tls_input(t->c, t->in + t->in_off, t->in_len - t->in_off, now_ms());
    if (used < 0) {
        (void)tls_posix_flush(t); /* the alert */
        return used;
    }
    t->in_off += (size_t)used;
    return 0;
}

int tls_posix_handshake(tls_posix *t)
{
    while (!tls_handshake_done(t->c)) {
        if (tls_posix_flush(t) < 0)
            return APG_ECONNRESET;
        int r = pump(t);
        if (r < 0)
            return r;
    }
    if (tls_posix_flush(t) < 0 && t->c->state != TLS_ST_CLOSED)
        return APG_ECONNRESET;
    return 0;
}

int tls_posix_read(tls_posix *t, uint8_t *buf, size_t cap)
{
    for (;;) {
        int r = tls_read(t->c, buf, cap);
        if (r != APG_EAGAIN)
            return r;
        if (tls_posix_flush(t) < 0)
            return APG_ECONNRESET;
        if ((r = pump(t)) < 0)
            return r;
    }
}

int tls_posix_write(tls_posix *t, const uint8_t *data, size_t len)
{
    while (len) {
        int r = tls_write(t->c, data, len);
        if (r == APG_EAGAIN) {
            if (tls_posix_flush(t) < 0)
                return APG_ECONNRESET;
            continue;
        }
        if (r < 0)
            return r;
        data += r;
        len -= (size_t)r;
    }
    return tls_posix_flush(t) < 0 ? APG_ECONNRESET : 0;
}

int tls_posix_close(tls_posix *t)
{
    while (tls_close(t->c) == APG_EAGAIN)
        if (tls_posix_flush(t) < 0)
            return APG_ECONNRESET;
    /* After the peer's close_notify it may already have closed its socket:
     * our answering close_notify is then undeliverable, which is no error. */
    if (tls_posix_flush(t) < 0 && t->c->state != TLS_ST_CLOSED)
        return APG_ECONNRESET;
    return 0;
}
