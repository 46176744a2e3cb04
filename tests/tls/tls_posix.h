/*
 * tls_posix.h - a blocking POSIX-socket transport for a tls_conn (host tests).
 *
 * The engine is sans-IO; this moves its bytes over a connected stream socket.
 * One tls_posix per connection: it keeps received bytes the engine has not
 * consumed yet (the engine stops at each record of application data).
 */
#ifndef TLS_POSIX_H
#define TLS_POSIX_H
#include <stddef.h>
#include <stdint.h>

#include "tls.h"

typedef struct {
    int fd;
    tls_conn *c;
    size_t in_off, in_len;
    unsigned idle; /* receive timeouts in a row (the socket's SO_RCVTIMEO) */
    uint8_t in[16384];
} tls_posix;

void tls_posix_init(tls_posix *t, int fd, tls_conn *c);
/* Send everything queued. 0, or -1 on a socket error. */
int tls_posix_flush(tls_posix *t);
/* Run until the handshake completes (0) or fails (negative APG_E*). */
int tls_posix_handshake(tls_posix *t);
/* Read application data: > 0 bytes, APG_ECLOSED at close_notify, or an error
 * (APG_ECONNRESET when the socket closes without close_notify). */
int tls_posix_read(tls_posix *t, uint8_t *buf, size_t cap);
/* Write all len bytes (0) or fail (negative). */
int tls_posix_write(tls_posix *t, const uint8_t *data, size_t len);
/* Send close_notify and flush. */
int tls_posix_close(tls_posix *t);
#endif
