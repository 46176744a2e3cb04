/*
 * tcp_out.c - building and sending segments: what may be sent now (windows,
 * congestion, Nagle, FIN), the options every segment carries, ACKs and RSTs.
 */
#include <string.h>

#include "tcp_priv.h"

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

static void emit(struct tcp_stack *s, uint32_t lip, uint32_t rip, size_t len)
{
    uint16_t c = s->tx_csum_partial ? tcp_checksum_partial(lip, rip, len)
                                    : tcp_checksum(lip, rip, s->tx, len);
    put16(s->tx + 16, c);
    s->stats.tx_segs++;
    if (s->out(s->out_ctx, lip, rip, s->tx, len) < 0)
        s->stats.tx_errors++;
}

static void header(uint8_t *h, uint16_t lport, uint16_t rport, uint32_t seq, uint32_t ack,
                   size_t hlen, uint8_t flags, uint32_t wnd)
{
    put16(h, lport);
    put16(h + 2, rport);
    put32(h + 4, seq);
    put32(h + 8, ack);
    h[12] = (uint8_t)(hlen << 2); /* (hlen / 4) << 4 */
    h[13] = flags;
    put16(h + 14, wnd);
    put32(h + 16, 0); /* checksum and urgent pointer */
}

void tcp_send_rst(struct tcp_stack *s, uint32_t lip, uint32_t rip, uint16_t lport,
                  uint16_t rport, uint32_t seq, uint32_t ack, uint8_t flags)
{
    header(s->tx, lport, rport, seq, ack, 20, (uint8_t)(TH_RST | flags), 0);
    s->stats.tx_rst++;
    emit(s, lip, rip, 20);
}

/* Bytes of the receive ring the peer may still fill beyond rcv_nxt. */
uint32_t tcp_window_room(const struct tcp_sock *sk)
{
    return (uint32_t)APOGEE_TCP_RCVBUF - sk->rb_len;
}

/* The window field to send, moving rcv_adv forward when worth it (receiver-side
   silly window avoidance, RFC 9293 3.8.6.2.2) and never backward. */
static uint32_t window_field(struct tcp_sock *sk, bool syn)
{
    uint32_t room = tcp_window_room(sk);
    if (syn) {
        uint32_t w = room > 65535u ? 65535u : room;
        sk->rcv_adv = sk->rcv_nxt + w;
        return w;
    }
    uint32_t edge = sk->rcv_nxt + room;
    uint32_t step = APOGEE_TCP_RCVBUF / 2 < APOGEE_TCP_MSS ? APOGEE_TCP_RCVBUF / 2
                                                           : APOGEE_TCP_MSS;
    if (tcp_seq_ge(edge, sk->rcv_adv + step) || tcp_seq_lt(sk->rcv_adv, sk->rcv_nxt)) {
        uint32_t w = (edge - sk->rcv_nxt) >> sk->rcv_ws;
        if (w > 65535u)
            w = 65535u;
        uint32_t e = sk->rcv_nxt + (w << sk->rcv_ws);
        if (tcp_seq_gt(e, sk->rcv_adv))
            sk->rcv_adv = e;
    }
    uint32_t w = (sk->rcv_adv - sk->rcv_nxt) >> sk->rcv_ws;
    return w > 65535u ? 65535u : w;
}

uint32_t tcp_xmit(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq, uint32_t len,
                  uint8_t flags)
{
    uint8_t *h = s->tx;
    uint8_t *o = h + 20;
    size_t ol = 0;
    bool syn = (flags & TH_SYN) != 0;
    uint32_t tsval = tcp_now32(s) + sk->ts_off;

    if (syn) {
        bool offer = !(flags & TH_ACK); /* active SYN offers all; SYN-ACK answers */
        o[0] = 2;
        o[1] = 4;
        put16(o + 2, APOGEE_TCP_MSS);
        ol = 4;
        if (offer || (sk->flags & TCP_F_WS)) {
            o[ol] = 1;
            o[ol + 1] = 3;
            o[ol + 2] = 3;
            o[ol + 3] = sk->rcv_ws;
            ol += 4;
        }
        if (offer || (sk->flags & TCP_F_SACK)) {
            o[ol] = 1;
            o[ol + 1] = 1;
            o[ol + 2] = 4;
            o[ol + 3] = 2;
            ol += 4;
        }
    }
    if (sk->flags & TCP_F_TS || (syn && !(flags & TH_ACK))) {
        o[ol] = 1;
        o[ol + 1] = 1;
        o[ol + 2] = 8;
        o[ol + 3] = 10;
        put32(o + ol + 4, tsval);
        put32(o + ol + 8, (flags & TH_ACK) ? sk->ts_recent : 0);
        ol += 12;
    }
    if (!syn && (sk->flags & TCP_F_SACK) && sk->nooo > 0 && !(flags & TH_RST)) {
        unsigned max = (sk->flags & TCP_F_TS) ? 3u : 4u;
        unsigned n = sk->nooo < max ? sk->nooo : max;
        o[ol] = 1;
        o[ol + 1] = 1;
        o[ol + 2] = 5;
        o[ol + 3] = (uint8_t)(2 + 8 * n);
        ol += 4;
        /* RFC 2018 4: the block holding the newest segment first, then the rest. */
        unsigned idx = sk->ooo_last < sk->nooo ? sk->ooo_last : 0u;
        unsigned k = 0;
        for (int i = -1; i < (int)sk->nooo && k < n; i++) {
            if (i == (int)idx)
                continue;
            const struct tcp_range *r = &sk->ooo[i < 0 ? idx : (unsigned)i];
            put32(o + ol, r->left);
            put32(o + ol + 4, r->right);
            ol += 8;
            k++;
        }
    }
    size_t hl = 20 + ol;
    /* Never send more data than the MSS minus these options (RFC 6691). */
    if (len > 0 && hl - 20 + len > sk->mss) {
        len = sk->mss > hl - 20 ? sk->mss - (uint32_t)(hl - 20) : 1;
        flags &= (uint8_t)~TH_FIN; /* the FIN follows the last byte, not sent now */
    }
    uint32_t wnd = window_field(sk, syn);
    header(h, sk->lport, sk->rport, seq, (flags & TH_ACK) ? sk->rcv_nxt : 0, hl, flags, wnd);
    if (len > 0) {
        uint32_t off = (sk->sb_head + (seq - sk->snd_buf_seq)) % APOGEE_TCP_SNDBUF;
        uint32_t first = APOGEE_TCP_SNDBUF - off;
        if (first > len)
            first = len;
        memcpy(h + hl, sk->sndbuf + off, first);
        memcpy(h + hl + first, sk->sndbuf, len - first);
    }
    if (flags & TH_ACK) {
        sk->last_ack_sent = sk->rcv_nxt;
        sk->unacked = 0;
        sk->t_delack = 0;
        sk->flags &= (uint16_t)~TCP_F_ACKNOW;
        sk->pending &= (uint8_t)~TCP_P_ACK;
    }
    if (flags & TH_RST)
        s->stats.tx_rst++;
    emit(s, sk->lip, sk->rip, hl + len);
    return len;
}

/* Arm the retransmission timer; in an established flow with a measured RTT, a
   tail loss probe comes first (RFC 8985 7: a lost last segment draws no duplicate
   ACK, and an RTO costs 200 ms or more where the RTT may be far below 1 ms). */
void tcp_arm_rexmt(struct tcp_stack *s, struct tcp_sock *sk)
{
    sk->flags &= (uint16_t)~(TCP_F_PERSIST | TCP_F_TLP);
    if (sk->srtt8 && sk->backoff == 0 && sk->state == TCP_ESTABLISHED &&
        !(sk->flags & (TCP_F_RECOVERY | TCP_F_TLP_DONE))) {
        uint32_t pto = sk->srtt8 >> 2;
        if (sk->snd_max - sk->snd_una <= tcp_data_mss(sk))
            pto += APOGEE_TCP_DELACK_MS; /* a lone segment may wait for a delayed ACK */
        if (pto < 2)
            pto = 2;
        if (pto < sk->rto) {
            sk->flags |= TCP_F_TLP;
            sk->t_rexmt = s->now + pto;
            return;
        }
    }
    sk->t_rexmt = s->now + sk->rto;
}

/* Retransmit up to max bytes of data (and the FIN if it follows) from seq. */
void tcp_rexmit_one(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq, uint32_t max)
{
    uint32_t end = sk->snd_buf_seq + sk->sb_len;
    /* only what was sent before: bytes past SND.MAX would be ACKed above SND.MAX,
       and such an ACK is (rightly) refused - the connection would wedge */
    uint32_t sent_end = tcp_seq_lt(sk->snd_max, end) ? sk->snd_max : end;
    uint32_t len = tcp_seq_lt(seq, sent_end) ? sent_end - seq : 0;
    uint8_t fl = TH_ACK;
    if (len > max)
        len = max;
    if ((sk->flags & TCP_F_FIN_Q) && seq + len == end && tcp_seq_gt(sk->snd_max, end))
        fl |= TH_FIN;
    if (len == 0 && !(fl & TH_FIN))
        return;
    s->stats.retransmits++;
    sk->flags &= (uint16_t)~TCP_F_RTT; /* Karn: never time a retransmitted segment */
    tcp_xmit(s, sk, seq, len, fl);
}

void tcp_send_ack_now(struct tcp_stack *s, struct tcp_sock *sk)
{
    sk->flags |= TCP_F_ACKNOW;
    tcp_output(s, sk);
}

/* RFC 5961 section 7: challenge ACKs are rate-limited stack-wide. */
void tcp_challenge_ack(struct tcp_stack *s, struct tcp_sock *sk)
{
    if (s->now - s->chal_second >= 1000) {
        s->chal_second = s->now;
        s->chal_count = 0;
    }
    if (s->chal_count >= APOGEE_TCP_CHALLENGE_ACKS_PER_S) {
        s->stats.challenge_limited++;
        return;
    }
    s->chal_count++;
    s->stats.challenge_acks++;
    tcp_xmit(s, sk, sk->snd_max, 0, TH_ACK);
}

void tcp_output(struct tcp_stack *s, struct tcp_sock *sk)
{
    uint8_t st = sk->state;
    if (st == TCP_SYN_SENT || st == TCP_SYN_RCVD) {
        if (sk->snd_nxt == sk->iss || (sk->flags & TCP_F_ACKNOW)) {
            uint8_t fl = st == TCP_SYN_SENT ? TH_SYN : (TH_SYN | TH_ACK);
            if (tcp_seq_gt(sk->snd_max, sk->iss))
                s->stats.retransmits++;
            else if (!(sk->flags & TCP_F_RTT)) {
                sk->flags |= TCP_F_RTT;
                sk->rtt_seq = sk->iss;
                sk->rtt_start = tcp_now32(s);
            }
            tcp_xmit(s, sk, sk->iss, 0, fl);
            sk->snd_nxt = sk->snd_max = sk->iss + 1;
            if (!sk->t_rexmt)
                tcp_arm_rexmt(s, sk);
        }
        return;
    }
    if (!tcp_synchronized(st)) {
        sk->flags &= (uint16_t)~TCP_F_ACKNOW;
        return;
    }
    if (st != TCP_TIME_WAIT) {
        uint32_t mss = tcp_data_mss(sk);
        for (;;) {
            uint32_t end = sk->snd_buf_seq + sk->sb_len;
            uint32_t avail = tcp_seq_lt(sk->snd_nxt, end) ? end - sk->snd_nxt : 0;
            uint32_t cw = sk->cwnd;
            if (!(sk->flags & TCP_F_RECOVERY) && sk->dupacks < 3)
                cw += sk->dupacks * mss; /* limited transmit (RFC 3042) */
            uint32_t wnd = sk->snd_wnd < cw ? sk->snd_wnd : cw;
            uint32_t flight = sk->snd_nxt - sk->snd_una;
            uint32_t usable = wnd > flight ? wnd - flight : 0;
            uint32_t len = avail < usable ? avail : usable;
            if (len > mss)
                len = mss;
            /* FIN rides on the segment that ends the data (first send or resend). */
            bool fin = (sk->flags & TCP_F_FIN_Q) && sk->snd_nxt + len == end;
            bool rexmit = tcp_seq_lt(sk->snd_nxt, sk->snd_max);
            if (len == 0 && !fin)
                break;
            if (len > 0 && len < mss && !fin && !rexmit) {
                /* Nagle (RFC 9293 3.7.4) and sender silly window avoidance. */
                bool idle = sk->snd_max == sk->snd_una;
                bool ok = (len == avail && (idle || (sk->flags & TCP_F_NODELAY))) ||
                          len >= sk->max_sndwnd / 2 ||
                          (idle && len == usable); /* a small window, nothing in flight:
                                                      waiting would deadlock */
                if (!ok)
                    break;
            }
            uint8_t fl = TH_ACK;
            if (fin)
                fl |= TH_FIN;
            if (len > 0 && len == avail)
                fl |= TH_PSH;
            if (rexmit)
                s->stats.retransmits++;
            else if (len > 0 && !(sk->flags & TCP_F_RTT)) {
                sk->flags |= TCP_F_RTT;
                sk->rtt_seq = sk->snd_nxt;
                sk->rtt_start = tcp_now32(s);
            }
            uint32_t sent = tcp_xmit(s, sk, sk->snd_nxt, len, fl);
            if (sent < len)
                fin = false; /* options took room: the rest goes in the next segment */
            sk->snd_nxt += sent + (fin ? 1u : 0u);
            if (tcp_seq_gt(sk->snd_nxt, sk->snd_max))
                sk->snd_max = sk->snd_nxt;
            if (!sk->t_rexmt || (sk->flags & TCP_F_PERSIST))
                tcp_arm_rexmt(s, sk);
            if (fin)
                break;
        }
        /* Zero window with data waiting and nothing in flight: probe (persist). */
        uint32_t end = sk->snd_buf_seq + sk->sb_len;
        if (sk->snd_wnd == 0 && sk->snd_una == sk->snd_max && tcp_seq_lt(sk->snd_nxt, end) &&
            !sk->t_rexmt) {
            sk->flags |= TCP_F_PERSIST;
            sk->t_rexmt = s->now + sk->rto;
        }
    }
    /* A pure ACK carries SND.MAX, not a rewound SND.NXT: a peer ignores window
       updates whose sequence number is below the last one it took (SND.WL1). */
    if (sk->flags & TCP_F_ACKNOW)
        tcp_xmit(s, sk, sk->snd_max, 0, TH_ACK);
}
