/*
 * tcp_api.c - the socket table, the timers and the application calls.
 */
#include <stddef.h>
#include <string.h>

#include "tcp_isn.h"
#include "tcp_priv.h"

void tcp_init(struct tcp_stack *s, tcp_output_fn out, void *ctx,
              uint32_t (*random32)(void *), void *rnd_ctx, uint32_t local_ip)
{
    memset(s, 0, offsetof(struct tcp_stack, socks));
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++)
        memset(&s->socks[i], 0, offsetof(struct tcp_sock, sndbuf));
    s->out = out;
    s->out_ctx = ctx;
    s->random32 = random32;
    s->rnd_ctx = rnd_ctx;
    s->local_ip = local_ip;
    for (unsigned i = 0; i < 4; i++)
        s->isn_key[i] = random32(rnd_ctx);
}

void tcp_set_tx_csum_offload(struct tcp_stack *s, bool on)
{
    s->tx_csum_partial = on;
}

void tcp_set_local_ip(struct tcp_stack *s, uint32_t ip)
{
    s->local_ip = ip;
}

/* ---- Slots ------------------------------------------------------------------ */

void tcp_free(struct tcp_sock *sk)
{
    memset(sk, 0, offsetof(struct tcp_sock, sndbuf));
}

/* A free slot; when the table is full, the oldest TIME_WAIT (RFC 6191 spirit: its
   only job is to absorb old duplicates) and then the oldest unaccepted embryonic
   connection are recycled, counted. NULL (counted) if nothing can go. */
struct tcp_sock *tcp_alloc(struct tcp_stack *s)
{
    struct tcp_sock *tw = NULL, *emb = NULL;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *c = &s->socks[i];
        if (!c->used)
            return c;
        if (c->state == TCP_TIME_WAIT && c->owner == TCP_OWNER_NONE &&
            (!tw || (int32_t)(c->born - tw->born) < 0))
            tw = c;
        if (c->state == TCP_SYN_RCVD && c->owner == TCP_OWNER_QUEUE &&
            (!emb || (int32_t)(c->born - emb->born) < 0))
            emb = c;
    }
    if (tw) {
        s->stats.tw_recycled++;
        tcp_free(tw);
        return tw;
    }
    if (emb) {
        s->stats.syn_recycled++;
        tcp_free(emb);
        return emb;
    }
    s->stats.table_full++;
    return NULL;
}

void tcp_init_sock(struct tcp_stack *s, struct tcp_sock *sk, uint32_t lip, uint16_t lport,
                   uint32_t rip, uint16_t rport)
{
    tcp_free(sk);
    sk->used = 1;
    sk->parent = -1;
    sk->lip = lip;
    sk->lport = lport;
    sk->rip = rip;
    sk->rport = rport;
    sk->born = tcp_now32(s);
    sk->mss = 536;
    if (rport) {
        uint32_t ports = (uint32_t)lport << 16 | rport;
        sk->iss = tcp_isn(s->isn_key, lip, lport, rip, rport, s->now);
        sk->ts_off = tcp_siphash(s->isn_key, lip, rip, ports, 1);
    }
    sk->snd_una = sk->snd_nxt = sk->snd_max = sk->iss;
    sk->snd_buf_seq = sk->iss + 1;
    sk->recover = sk->iss;
    sk->rto = APOGEE_TCP_RTO_INIT_MS;
    sk->ssthresh = 0xffffffffu;
}

/* The connection is over: keep the slot for an app that holds the descriptor,
   free it otherwise. */
void tcp_closed(struct tcp_stack *s, struct tcp_sock *sk, int err)
{
    (void)s;
    if (sk->owner != TCP_OWNER_APP) {
        tcp_free(sk);
        return;
    }
    sk->state = TCP_CLOSED;
    sk->err = (int16_t)err;
    sk->t_rexmt = sk->t_delack = sk->t_keep = 0;
    sk->flags &= (uint16_t)~(TCP_F_PERSIST | TCP_F_ACKNOW);
    sk->pending = 0;
}

void tcp_enter_time_wait(struct tcp_stack *s, struct tcp_sock *sk)
{
    sk->state = TCP_TIME_WAIT;
    sk->t_rexmt = 0;
    sk->t_delack = 0;
    sk->flags &= (uint16_t)~TCP_F_PERSIST;
    sk->t_keep = s->now + 2u * APOGEE_TCP_MSL_MS;
}

/* Reset a synchronized connection (RST carries our next sequence number). */
void tcp_rst_conn(struct tcp_stack *s, struct tcp_sock *sk)
{
    if (sk->state >= TCP_SYN_RCVD && sk->state != TCP_TIME_WAIT)
        tcp_send_rst(s, sk->lip, sk->rip, sk->lport, sk->rport, sk->snd_max, sk->rcv_nxt,
                     TH_ACK);
}

/* ---- Timers ----------------------------------------------------------------- */

static void rexmt_timeout(struct tcp_stack *s, struct tcp_sock *sk)
{
    uint32_t mss = tcp_data_mss(sk);
    if (sk->flags & TCP_F_PERSIST) {
        /* zero-window probe: one byte of new data beyond the window. Probing
           goes on while the peer answers (RFC 9293 3.8.6.1); a peer that stays
           silent for as many probes as data retransmissions is gone. */
        if (++sk->keep_probes > APOGEE_TCP_DATA_RETRIES) {
            s->stats.timeouts++;
            tcp_rst_conn(s, sk);
            tcp_closed(s, sk, APG_ETIMEDOUT);
            return;
        }
        s->stats.zwp_sent++;
        if (sk->sb_len > 0 && sk->snd_una == sk->snd_buf_seq)
            tcp_xmit(s, sk, sk->snd_una, 1, TH_ACK);
        if (sk->backoff < 30)
            sk->backoff++;
        uint32_t t = sk->rto << (sk->backoff < 16 ? sk->backoff : 16);
        if (t > APOGEE_TCP_RTO_MAX_MS || t < sk->rto)
            t = APOGEE_TCP_RTO_MAX_MS;
        sk->t_rexmt = s->now + t;
        return;
    }
    if (sk->flags & TCP_F_TLP) {
        /* tail loss probe: new data if the windows allow, else the last segment */
        uint32_t end = sk->snd_buf_seq + sk->sb_len;
        sk->flags = (uint16_t)((sk->flags & ~TCP_F_TLP) | TCP_F_TLP_DONE);
        s->stats.tlp_probes++;
        uint32_t tx = s->stats.tx_segs;
        if (tcp_seq_lt(sk->snd_max, end) && sk->snd_wnd > sk->snd_max - sk->snd_una) {
            sk->cwnd += mss; /* room for exactly one more segment */
            tcp_output(s, sk);
            sk->cwnd -= mss;
        }
        if (s->stats.tx_segs == tx) {
            uint32_t last = sk->snd_max - sk->snd_una;
            uint32_t fin = (sk->flags & TCP_F_FIN_Q) && tcp_seq_gt(sk->snd_max, end) ? 1u : 0u;
            last = last - fin > mss ? mss : last - fin;
            tcp_rexmit_one(s, sk, sk->snd_max - fin - last, last);
        }
        sk->t_rexmt = s->now + sk->rto;
        return;
    }
    bool syn = sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RCVD;
    if (++sk->backoff > (syn ? APOGEE_TCP_SYN_RETRIES : APOGEE_TCP_DATA_RETRIES)) {
        s->stats.timeouts++;
        tcp_rst_conn(s, sk);
        tcp_closed(s, sk, APG_ETIMEDOUT);
        return;
    }
    s->stats.rto_fired++;
    /* RFC 6298 5.5: back off; Karn: no sample from what is resent */
    sk->rto = sk->rto * 2 > APOGEE_TCP_RTO_MAX_MS ? APOGEE_TCP_RTO_MAX_MS : sk->rto * 2;
    sk->flags &= (uint16_t)~TCP_F_RTT;
    if (syn) {
        sk->snd_nxt = sk->iss;
        tcp_output(s, sk);
        return;
    }
    /* RFC 5681 (4): loss window; RFC 2018 8: forget the SACK scoreboard */
    uint32_t flight = sk->snd_max - sk->snd_una;
    if (!(sk->flags & TCP_F_RECOVERY) || sk->backoff == 1)
        sk->ssthresh = flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
    sk->cwnd = mss;
    sk->flags &= (uint16_t)~TCP_F_RECOVERY;
    sk->recover = sk->snd_max;
    sk->dupacks = 0;
    sk->nsack = 0;
    sk->rexmit_hi = sk->snd_una;
    sk->snd_nxt = sk->snd_una;
    if (sk->snd_wnd == 0) {
        /* the peer closed its window on outstanding data: probe with it */
        tcp_rexmit_one(s, sk, sk->snd_una, 1);
    } else {
        tcp_output(s, sk);
    }
    sk->t_rexmt = s->now + sk->rto;
}

static void keep_timeout(struct tcp_stack *s, struct tcp_sock *sk)
{
    switch (sk->state) {
    case TCP_TIME_WAIT:
    case TCP_FIN_WAIT_2:
        tcp_closed(s, sk, 0);
        return;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        if (!sk->keep_idle)
            return;
        if (sk->keep_probes >= APOGEE_TCP_KEEPCNT) {
            s->stats.timeouts++;
            tcp_rst_conn(s, sk);
            tcp_closed(s, sk, APG_ETIMEDOUT);
            return;
        }
        /* RFC 9293 3.8.4: an old sequence number makes the peer ACK */
        sk->keep_probes++;
        s->stats.keepalives_sent++;
        tcp_xmit(s, sk, sk->snd_una - 1, 0, TH_ACK);
        sk->t_keep = s->now + APOGEE_TCP_KEEPINTVL_MS;
        return;
    default:
        return;
    }
}

uint32_t tcp_poll(struct tcp_stack *s, uint64_t now_ms)
{
    if (now_ms > s->now)
        s->now = now_ms;
    uint64_t next = s->now + 1000;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *sk = &s->socks[i];
        bool owed = (sk->pending & TCP_P_ACK) || (sk->t_delack && sk->t_delack <= s->now);
        if (sk->used && owed) {
            sk->t_delack = 0;
            sk->pending = 0;
            tcp_send_ack_now(s, sk);
        }
        if (sk->used && sk->t_rexmt && sk->t_rexmt <= s->now) {
            sk->t_rexmt = 0;
            rexmt_timeout(s, sk);
        }
        if (sk->used && sk->t_keep && sk->t_keep <= s->now) {
            sk->t_keep = 0;
            keep_timeout(s, sk);
        }
        if (!sk->used)
            continue;
        if (sk->pending) /* owed by a call made after the pass above */
            next = s->now;
        if (sk->t_delack && sk->t_delack < next)
            next = sk->t_delack;
        if (sk->t_rexmt && sk->t_rexmt < next)
            next = sk->t_rexmt;
        if (sk->t_keep && sk->t_keep < next)
            next = sk->t_keep;
    }
    return next > s->now ? (uint32_t)(next - s->now) : 0;
}

/* ---- Application calls ------------------------------------------------------ */

static struct tcp_sock *app_sock(struct tcp_stack *s, int sd)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS)
        return NULL;
    struct tcp_sock *sk = &s->socks[sd];
    return sk->used && sk->owner == TCP_OWNER_APP ? sk : NULL;
}

int tcp_listen(struct tcp_stack *s, uint16_t port, int backlog)
{
    if (port == 0)
        return APG_EINVAL;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++)
        if (s->socks[i].used && s->socks[i].state == TCP_LISTEN && s->socks[i].lport == port)
            return APG_EADDRINUSE;
    struct tcp_sock *sk = tcp_alloc(s);
    if (!sk)
        return APG_ENOMEM;
    tcp_init_sock(s, sk, 0, port, 0, 0);
    sk->state = TCP_LISTEN;
    sk->owner = TCP_OWNER_APP;
    if (backlog < 1)
        backlog = 1;
    if (backlog > APOGEE_TCP_BACKLOG)
        backlog = APOGEE_TCP_BACKLOG;
    sk->backlog = (uint8_t)backlog;
    return (int)(sk - s->socks);
}

int tcp_accept(struct tcp_stack *s, int lsd)
{
    struct tcp_sock *l = app_sock(s, lsd);
    if (!l || l->state != TCP_LISTEN)
        return APG_EINVAL;
    struct tcp_sock *best = NULL;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *c = &s->socks[i];
        if (c->used && c->owner == TCP_OWNER_QUEUE && c->parent == lsd &&
            c->state != TCP_SYN_RCVD && (!best || (int32_t)(c->born - best->born) < 0))
            best = c;
    }
    if (!best)
        return APG_EAGAIN;
    best->owner = TCP_OWNER_APP;
    best->parent = -1;
    return (int)(best - s->socks);
}

int tcp_connect(struct tcp_stack *s, uint32_t dst_ip, uint16_t dst_port)
{
    if (dst_port == 0 || dst_ip == 0 || dst_ip == 0xffffffffu || (dst_ip >> 28) == 0xe)
        return APG_EINVAL;
    if (!s->local_ip)
        return APG_EHOSTUNREACH;
    uint16_t port = 0;
    for (unsigned tries = 0; tries < 64 && !port; tries++) {
        uint16_t p = (uint16_t)(49152u + (s->random32(s->rnd_ctx) & 0x3fffu));
        bool taken = false;
        for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++)
            taken |= s->socks[i].used && s->socks[i].lport == p;
        if (!taken)
            port = p;
    }
    if (!port)
        return APG_EADDRINUSE;
    struct tcp_sock *sk = tcp_alloc(s);
    if (!sk)
        return APG_ENOMEM;
    tcp_init_sock(s, sk, s->local_ip, port, dst_ip, dst_port);
    sk->owner = TCP_OWNER_APP;
    sk->state = TCP_SYN_SENT;
    /* we offer window scaling (our shift), SACK and timestamps */
    uint8_t ws = 0;
    while (ws < 14 && ((uint32_t)APOGEE_TCP_RCVBUF >> ws) > 65535u)
        ws++;
    sk->rcv_ws = ws;
    tcp_output(s, sk);
    return (int)(sk - s->socks);
}

int tcp_send(struct tcp_stack *s, int sd, const void *buf, size_t len)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk || sk->state == TCP_LISTEN || (!buf && len))
        return APG_EINVAL;
    if (sk->flags & TCP_F_FIN_Q)
        return APG_ECLOSED;
    if (sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT &&
        sk->state != TCP_SYN_SENT && sk->state != TCP_SYN_RCVD)
        return sk->err ? sk->err : APG_ENOTCONN;
    uint32_t room = APOGEE_TCP_SNDBUF - sk->sb_len;
    if (room == 0)
        return APG_EAGAIN;
    uint32_t n = len < room ? (uint32_t)len : room;
    uint32_t pos = (sk->sb_head + sk->sb_len) % APOGEE_TCP_SNDBUF;
    uint32_t first = APOGEE_TCP_SNDBUF - pos;
    if (first > n)
        first = n;
    memcpy(sk->sndbuf + pos, buf, first);
    memcpy(sk->sndbuf, (const uint8_t *)buf + first, n - first);
    sk->sb_len += n;
    tcp_output(s, sk);
    return (int)n;
}

int tcp_recv(struct tcp_stack *s, int sd, void *buf, size_t len)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk || sk->state == TCP_LISTEN || (!buf && len))
        return APG_EINVAL;
    if (sk->rb_len == 0) {
        if (sk->flags & TCP_F_RCVD_FIN)
            return 0;
        if (sk->err)
            return sk->err;
        return sk->state == TCP_CLOSED ? APG_ENOTCONN : APG_EAGAIN;
    }
    uint32_t n = len < sk->rb_len ? (uint32_t)len : sk->rb_len;
    if (n > 0x7fffffffu)
        n = 0x7fffffffu;
    uint32_t first = APOGEE_TCP_RCVBUF - sk->rb_head;
    if (first > n)
        first = n;
    memcpy(buf, sk->rcvbuf + sk->rb_head, first);
    memcpy((uint8_t *)buf + first, sk->rcvbuf, n - first);
    sk->rb_head = (sk->rb_head + n) % APOGEE_TCP_RCVBUF;
    sk->rb_len -= n;
    /* Window update once the window can grow by min(RCVBUF/2, MSS); like an owed
       ACK it leaves from the next tcp_poll, so the reads of one main-loop turn
       open the window with one segment. */
    if (tcp_synchronized(sk->state) && !(sk->flags & TCP_F_RCVD_FIN)) {
        uint32_t edge = sk->rcv_nxt + tcp_window_room(sk);
        uint32_t step = APOGEE_TCP_RCVBUF / 2 < APOGEE_TCP_MSS ? APOGEE_TCP_RCVBUF / 2
                                                               : APOGEE_TCP_MSS;
        if (tcp_seq_ge(edge, sk->rcv_adv + step))
            sk->pending |= TCP_P_ACK;
    }
    return (int)n;
}

/* Queue our FIN and take the matching state step. */
static int queue_fin(struct tcp_stack *s, struct tcp_sock *sk)
{
    if (sk->flags & TCP_F_FIN_Q)
        return 0;
    switch (sk->state) {
    case TCP_SYN_RCVD:
    case TCP_SYN_SENT:
        sk->flags |= TCP_F_FIN_Q; /* sent once established */
        return 0;
    case TCP_ESTABLISHED:
        sk->state = TCP_FIN_WAIT_1;
        break;
    case TCP_CLOSE_WAIT:
        sk->state = TCP_LAST_ACK;
        break;
    default:
        return APG_ENOTCONN;
    }
    sk->flags |= TCP_F_FIN_Q;
    tcp_output(s, sk);
    return 0;
}

int tcp_shutdown(struct tcp_stack *s, int sd)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk)
        return APG_EINVAL;
    return queue_fin(s, sk);
}

static void close_listener(struct tcp_stack *s, int lsd)
{
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *c = &s->socks[i];
        if (c->used && c->owner == TCP_OWNER_QUEUE && c->parent == lsd) {
            tcp_rst_conn(s, c);
            tcp_free(c);
        }
    }
    tcp_free(&s->socks[lsd]);
}

int tcp_close(struct tcp_stack *s, int sd)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk)
        return APG_EINVAL;
    switch (sk->state) {
    case TCP_LISTEN:
        close_listener(s, sd);
        return 0;
    case TCP_CLOSED:
    case TCP_SYN_SENT:
        tcp_free(sk);
        return 0;
    default:
        break;
    }
    if (sk->rb_len > 0) {
        /* unread data would be lost silently: reset (RFC 9293 3.6.1) */
        tcp_rst_conn(s, sk);
        tcp_free(sk);
        return 0;
    }
    sk->owner = TCP_OWNER_NONE;
    if (sk->state == TCP_TIME_WAIT)
        return 0;
    if (sk->state == TCP_FIN_WAIT_2)
        sk->t_keep = s->now + APOGEE_TCP_FIN_WAIT2_MS;
    queue_fin(s, sk);
    return 0;
}

int tcp_abort(struct tcp_stack *s, int sd)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk)
        return APG_EINVAL;
    if (sk->state == TCP_LISTEN) {
        close_listener(s, sd);
        return 0;
    }
    tcp_rst_conn(s, sk);
    tcp_free(sk);
    return 0;
}

int tcp_ready(const struct tcp_stack *s, int sd)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS || !s->socks[sd].used ||
        s->socks[sd].owner != TCP_OWNER_APP)
        return APG_EINVAL;
    const struct tcp_sock *sk = &s->socks[sd];
    int r = 0;
    if (sk->state == TCP_LISTEN) {
        for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
            const struct tcp_sock *c = &s->socks[i];
            if (c->used && c->owner == TCP_OWNER_QUEUE && c->parent == sd &&
                c->state != TCP_SYN_RCVD)
                r |= TCP_READABLE;
        }
        return r;
    }
    if (sk->flags & TCP_F_CONNECTED)
        r |= TCP_CONNECTED;
    if (sk->flags & TCP_F_RCVD_FIN)
        r |= TCP_PEER_FIN;
    if (sk->rb_len > 0 || (sk->flags & TCP_F_RCVD_FIN) || sk->err || sk->state == TCP_CLOSED)
        r |= TCP_READABLE;
    if ((sk->state == TCP_ESTABLISHED || sk->state == TCP_CLOSE_WAIT) &&
        !(sk->flags & TCP_F_FIN_Q) && sk->sb_len < APOGEE_TCP_SNDBUF)
        r |= TCP_WRITABLE;
    if (sk->state == TCP_CLOSED || sk->state == TCP_TIME_WAIT)
        r |= TCP_CLOSED_BIT;
    if (sk->err)
        r |= TCP_ERROR;
    return r;
}

int tcp_error(const struct tcp_stack *s, int sd)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS || !s->socks[sd].used)
        return APG_EINVAL;
    return s->socks[sd].err;
}

int tcp_state(const struct tcp_stack *s, int sd)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS || !s->socks[sd].used)
        return APG_EINVAL;
    return s->socks[sd].state;
}

int tcp_nodelay(struct tcp_stack *s, int sd, bool on)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk)
        return APG_EINVAL;
    if (on)
        sk->flags |= TCP_F_NODELAY;
    else
        sk->flags &= (uint16_t)~TCP_F_NODELAY;
    if (on && tcp_synchronized(sk->state))
        tcp_output(s, sk);
    return 0;
}

int tcp_keepalive(struct tcp_stack *s, int sd, uint32_t idle_ms)
{
    struct tcp_sock *sk = app_sock(s, sd);
    if (!sk || sk->state == TCP_LISTEN)
        return APG_EINVAL;
    sk->keep_idle = idle_ms;
    sk->keep_probes = 0;
    if (sk->state == TCP_ESTABLISHED || sk->state == TCP_CLOSE_WAIT)
        sk->t_keep = idle_ms ? s->now + idle_ms : 0;
    return 0;
}

size_t tcp_send_space(const struct tcp_stack *s, int sd)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS || !s->socks[sd].used)
        return 0;
    const struct tcp_sock *sk = &s->socks[sd];
    if ((sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT) ||
        (sk->flags & TCP_F_FIN_Q))
        return 0;
    return APOGEE_TCP_SNDBUF - sk->sb_len;
}

int tcp_free_slots(const struct tcp_stack *s)
{
    int n = 0;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++)
        n += !s->socks[i].used;
    return n;
}
