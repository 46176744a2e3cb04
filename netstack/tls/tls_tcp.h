/*
 * tls_tcp.h - a TLS connection over a netstack/tcp socket.
 *
 * The glue is a pump: each main-loop turn, tls_tcp_pump() moves queued TLS
 * records into the TCP send ring (as much as it takes) and received bytes from
 * the TCP receive ring straight into the TLS record buffer (tls_input_space /
 * tls_input_commit: no intermediate copy, no extra buffer). Both engines stay
 * sans-IO; only this file knows both APIs.
 *
 * Ownership: the caller owns the tcp_stack, the socket (from tcp_accept or
 * tcp_connect) and the tls_conn (after tls_server_init / tls_client_init);
 * tls_tcp_close() sends close_notify, then closes the socket once the ring
 * took it.
 */
#ifndef TLS_TCP_H
#define TLS_TCP_H
#include <stdint.h>

#include "tcp.h"
#include "tls.h"

typedef struct {
    struct tcp_stack *tcp;
    tls_conn *tls;
    int sd;
    uint8_t closing;
} tls_tcp;

void tls_tcp_attach(tls_tcp *t, struct tcp_stack *s, int sd, tls_conn *c);

/* Move bytes both ways. Returns APG_OK (call again next turn), APG_ECLOSED when
 * the peer closed (close_notify, or FIN after the handshake: nothing more will
 * come), or an error: the TLS failure (its alert has been queued into TCP as far
 * as it fit) or the TCP connection's error. */
int tls_tcp_pump(tls_tcp *t, uint64_t now_ms);

/* Application data: tls_read() / tls_write() with a pump before/after. Same
 * results as those. */
int tls_tcp_read(tls_tcp *t, uint8_t *buf, size_t cap, uint64_t now_ms);
int tls_tcp_write(tls_tcp *t, const uint8_t *data, size_t len, uint64_t now_ms);

/* Queue close_notify, push it into TCP and close the socket (TCP finishes in the
 * background). APG_EAGAIN: no room yet, call again. */
int tls_tcp_close(tls_tcp *t, uint64_t now_ms);

#endif /* TLS_TCP_H */
