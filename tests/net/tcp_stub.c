/* Temporary stand-in for netstack/tcp until the TCP core is committed: no TCP. */
#include "tcp/tcp.h"
#include <string.h>
void tcp_init(struct tcp_stack *s, tcp_output_fn out, void *ctx, uint32_t (*r)(void *), void *rc, uint32_t ip)
{ memset(s, 0, sizeof(*s)); s->out = out; s->out_ctx = ctx; s->random32 = r; s->rnd_ctx = rc; s->local_ip = ip; }
void tcp_set_local_ip(struct tcp_stack *s, uint32_t ip) { s->local_ip = ip; }
void tcp_input(struct tcp_stack *s, uint32_t a, uint32_t b, const uint8_t *g, size_t l, uint64_t n)
{ (void)a; (void)b; (void)g; (void)l; s->now = n; s->stats.rx_segs++; }
uint32_t tcp_poll(struct tcp_stack *s, uint64_t n) { s->now = n; return 1000; }
int tcp_listen(struct tcp_stack *s, uint16_t p, int b) { (void)s; (void)b; return p; }
int tcp_accept(struct tcp_stack *s, int l) { (void)s; (void)l; return APG_EAGAIN; }
int tcp_connect(struct tcp_stack *s, uint32_t d, uint16_t p) { (void)s; (void)d; (void)p; return APG_ENOMEM; }
int tcp_send(struct tcp_stack *s, int sd, const void *b, size_t l) { (void)s; (void)sd; (void)b; (void)l; return APG_ENOTCONN; }
int tcp_recv(struct tcp_stack *s, int sd, void *b, size_t l) { (void)s; (void)sd; (void)b; (void)l; return APG_ENOTCONN; }
int tcp_shutdown(struct tcp_stack *s, int sd) { (void)s; (void)sd; return APG_ENOTCONN; }
int tcp_close(struct tcp_stack *s, int sd) { (void)s; (void)sd; return 0; }
int tcp_ready(const struct tcp_stack *s, int sd) { (void)s; (void)sd; return 0; }
size_t tcp_send_space(const struct tcp_stack *s, int sd) { (void)s; (void)sd; return 0; }
int tcp_free_slots(const struct tcp_stack *s) { (void)s; return APOGEE_TCP_SOCKETS; }
