/*
 * tcp_in.c - the receive path: validation, demultiplexing, and the segment
 * arrival events of RFC 9293 3.10.7 (with RFC 5961, 7323, 2018, 5681/6582).
 */
#include <string.h>

#include "tcp_isn.h"
#include "tcp_priv.h"

struct seg {
    uint32_t src, dst, seq, ack, wnd;
    uint16_t sport, dport;
    uint8_t fl;
    const uint8_t *data;
    uint32_t dlen;
    struct tcp_opts o;
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t our_wscale(void)
{
    uint8_t ws = 0;
    while (ws < 14 && ((uint32_t)APOGEE_TCP_RCVBUF >> ws) > 65535u)
        ws++;
    return ws;
}

/* Answer a segment for which there is no connection (RFC 9293 3.10.7.1). */
static void reset_for(struct tcp_stack *s, const struct seg *g)
{
    if (g->fl & TH_RST)
        return;
    if (g->fl & TH_ACK)
        tcp_send_rst(s, g->dst, g->src, g->dport, g->sport, g->ack, 0, 0);
    else
        tcp_send_rst(s, g->dst, g->src, g->dport, g->sport, 0,
                     g->seq + g->dlen + ((g->fl & TH_SYN) ? 1u : 0u) +
                         ((g->fl & TH_FIN) ? 1u : 0u),
                     TH_ACK);
}

/* Take the peer's SYN options (both the passive and the active side). */
static void take_syn_opts(struct tcp_stack *s, struct tcp_sock *sk, const struct seg *g)
{
    uint32_t mss = (g->o.present & TCP_OPT_MSS) ? g->o.mss : 536u;
    if (mss > APOGEE_TCP_MSS)
        mss = APOGEE_TCP_MSS;
    if (mss < TCP_MIN_MSS)
        mss = TCP_MIN_MSS;
    sk->mss = (uint16_t)mss;
    sk->flags &= (uint16_t)~(TCP_F_WS | TCP_F_SACK | TCP_F_TS);
    /* an active open offers everything, so what the peer sent decides */
    if (g->o.present & TCP_OPT_WS) {
        sk->flags |= TCP_F_WS;
        sk->snd_ws = g->o.ws;
        sk->rcv_ws = (uint8_t)our_wscale();
    } else {
        sk->snd_ws = 0;
        sk->rcv_ws = 0;
    }
    if (g->o.present & TCP_OPT_SACK_OK)
        sk->flags |= TCP_F_SACK;
    if (g->o.present & TCP_OPT_TS) {
        sk->flags |= TCP_F_TS;
        sk->ts_recent = g->o.tsval;
        sk->ts_recent_at = tcp_now32(s);
    }
    sk->irs = g->seq;
    sk->rcv_nxt = g->seq + 1;
    sk->rcv_adv = sk->rcv_nxt;
    sk->snd_wnd = g->wnd; /* never scaled in a SYN (RFC 7323 2.2) */
    sk->max_sndwnd = sk->snd_wnd;
    sk->snd_wl1 = g->seq;
    /* RFC 5681 / 3390 initial window */
    uint32_t iw = 4380u > 2 * mss ? 4380u : 2 * mss;
    sk->cwnd = 4 * mss < iw ? 4 * mss : iw;
}

static void rtt_sample(struct tcp_sock *sk, uint32_t r)
{
    if (sk->srtt8 == 0) {
        sk->srtt8 = (r << 3) | 1u; /* never 0 once measured */
        sk->rttvar4 = r << 1;
    } else {
        int32_t delta = (int32_t)r - (int32_t)(sk->srtt8 >> 3);
        sk->srtt8 = (uint32_t)((int32_t)sk->srtt8 + delta);
        if (delta < 0)
            delta = -delta;
        sk->rttvar4 = (uint32_t)((int32_t)sk->rttvar4 + delta - (int32_t)(sk->rttvar4 >> 2));
    }
    uint32_t var = sk->rttvar4 ? sk->rttvar4 : 1u;
    uint32_t rto = (sk->srtt8 >> 3) + var;
    if (rto < APOGEE_TCP_RTO_MIN_MS)
        rto = APOGEE_TCP_RTO_MIN_MS;
    if (rto > APOGEE_TCP_RTO_MAX_MS)
        rto = APOGEE_TCP_RTO_MAX_MS;
    sk->rto = rto;
}

static void established(struct tcp_stack *s, struct tcp_sock *sk)
{
    /* RFC 6298 5.7: a SYN that timed out leaves a 3 s RTO for the data (a
       clean RTT sample from this very ACK may still replace it) */
    if (sk->backoff > 0 && sk->rto < 3000)
        sk->rto = 3000;
    sk->state = TCP_ESTABLISHED;
    sk->flags |= TCP_F_CONNECTED;
    sk->backoff = 0;
    s->stats.conn_opened++;
    if (sk->keep_idle)
        sk->t_keep = s->now + sk->keep_idle;
    if (sk->flags & TCP_F_FIN_Q)
        sk->state = TCP_FIN_WAIT_1; /* the app closed during the handshake */
}

/* ---- LISTEN ------------------------------------------------------------------ */

static void listen_input(struct tcp_stack *s, struct tcp_sock *l, const struct seg *g)
{
    if (g->fl & TH_RST)
        return;
    if (g->fl & TH_ACK) {
        reset_for(s, g);
        return;
    }
    if (!(g->fl & TH_SYN) || (g->fl & TH_FIN)) {
        s->stats.rx_bad_flags++;
        return;
    }
    int li = (int)(l - s->socks);
    unsigned n = 0;
    struct tcp_sock *oldest = NULL;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *c = &s->socks[i];
        if (!c->used || c->parent != li || c->owner != TCP_OWNER_QUEUE)
            continue;
        n++;
        if (c->state == TCP_SYN_RCVD && (!oldest || (int32_t)(c->born - oldest->born) < 0))
            oldest = c;
    }
    if (n >= l->backlog) {
        if (!oldest) {
            s->stats.syn_backlog_drop++;
            return;
        }
        s->stats.syn_recycled++;
        tcp_free(oldest);
    }
    struct tcp_sock *c = tcp_alloc(s);
    if (!c)
        return;
    tcp_init_sock(s, c, g->dst, g->dport, g->src, g->sport);
    c->parent = (int16_t)li;
    c->owner = TCP_OWNER_QUEUE;
    c->flags |= TCP_F_PASSIVE;
    c->state = TCP_SYN_RCVD;
    take_syn_opts(s, c, g);
    tcp_output(s, c);
}

/* ---- SYN_SENT ---------------------------------------------------------------- */

static void syn_sent_input(struct tcp_stack *s, struct tcp_sock *sk, const struct seg *g)
{
    bool ack_ok = false;
    if (g->fl & TH_ACK) {
        if (tcp_seq_le(g->ack, sk->iss) || tcp_seq_gt(g->ack, sk->snd_max)) {
            s->stats.rx_bad_ack++;
            reset_for(s, g);
            return;
        }
        ack_ok = true;
    }
    if (g->fl & TH_RST) {
        if (ack_ok) {
            s->stats.rx_rst++;
            tcp_closed(s, sk, APG_ECONNREFUSED);
        }
        return;
    }
    if (!(g->fl & TH_SYN))
        return;
    take_syn_opts(s, sk, g);
    if (ack_ok) {
        if (sk->flags & TCP_F_RTT) {
            rtt_sample(sk, tcp_now32(s) - sk->rtt_start);
            sk->flags &= (uint16_t)~TCP_F_RTT;
        }
        sk->snd_una = g->ack;
        sk->snd_wl2 = g->ack;
        sk->t_rexmt = 0;
        established(s, sk);
        sk->flags |= TCP_F_ACKNOW;
    } else {
        /* Simultaneous open: answer with SYN,ACK on our own ISN. */
        sk->state = TCP_SYN_RCVD;
        sk->flags |= TCP_F_ACKNOW;
    }
    tcp_output(s, sk);
}

/* ---- Send side: ACK processing -------------------------------------------- */

static void sack_update(struct tcp_sock *sk, const struct seg *g)
{
    for (unsigned j = 0; j < g->o.nsack; j++) {
        uint32_t l = g->o.sack[j][0], r = g->o.sack[j][1];
        if (!tcp_seq_lt(l, r) || tcp_seq_le(r, sk->snd_una) || tcp_seq_gt(r, sk->snd_max))
            continue;
        if (tcp_seq_lt(l, sk->snd_una))
            l = sk->snd_una;
        /* merge with every block it touches, then insert */
        unsigned i = 0;
        while (i < sk->nsack) {
            struct tcp_range *b = &sk->sack[i];
            if (tcp_seq_le(b->left, r) && tcp_seq_le(l, b->right)) {
                l = tcp_seq_min(l, b->left);
                r = tcp_seq_max(r, b->right);
                *b = sk->sack[--sk->nsack];
            } else {
                i++;
            }
        }
        if (sk->nsack == APOGEE_TCP_SACK_BLOCKS) {
            /* full: forget the lowest block (it is the next to be ACKed anyway) */
            unsigned lo = 0;
            for (i = 1; i < sk->nsack; i++)
                if (tcp_seq_lt(sk->sack[i].left, sk->sack[lo].left))
                    lo = i;
            sk->sack[lo] = sk->sack[--sk->nsack];
        }
        sk->sack[sk->nsack].left = l;
        sk->sack[sk->nsack].right = r;
        sk->nsack++;
    }
}

static void sack_prune(struct tcp_sock *sk)
{
    unsigned i = 0;
    while (i < sk->nsack) {
        struct tcp_range *b = &sk->sack[i];
        if (tcp_seq_le(b->right, sk->snd_una)) {
            *b = sk->sack[--sk->nsack];
            continue;
        }
        if (tcp_seq_lt(b->left, sk->snd_una))
            b->left = sk->snd_una;
        i++;
    }
}

/* The next hole below the highest SACKed byte not yet retransmitted in this
   recovery; returns false if there is none. */
static bool sack_hole(const struct tcp_sock *sk, uint32_t *seq)
{
    if (sk->nsack == 0)
        return false;
    uint32_t at = tcp_seq_max(sk->snd_una, sk->rexmit_hi);
    uint32_t high = sk->sack[0].right;
    for (unsigned i = 1; i < sk->nsack; i++)
        high = tcp_seq_max(high, sk->sack[i].right);
    bool moved = true;
    while (moved) {
        moved = false;
        for (unsigned i = 0; i < sk->nsack; i++)
            if (tcp_seq_in(at, sk->sack[i].left, sk->sack[i].right)) {
                at = sk->sack[i].right;
                moved = true;
            }
    }
    if (!tcp_seq_lt(at, high))
        return false;
    *seq = at;
    return true;
}

static void rexmit_hole(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq)
{
    uint32_t len = tcp_data_mss(sk);
    /* stop at the next SACKed block */
    for (unsigned i = 0; i < sk->nsack; i++)
        if (tcp_seq_gt(sk->sack[i].left, seq) && sk->sack[i].left - seq < len)
            len = sk->sack[i].left - seq;
    tcp_rexmit_one(s, sk, seq, len);
    sk->rexmit_hi = tcp_seq_max(sk->rexmit_hi, seq + len);
    if (seq == sk->snd_una)
        sk->una_rexmit_at = tcp_now32(s);
}

/* In recovery, the resent segment at snd_una is itself presumed lost when
   duplicate ACKs still come more than an RTT (+25 %) after it went out (the
   time-based idea of RACK, RFC 8985): resend it instead of waiting for the RTO. */
static bool una_resend_lost(const struct tcp_stack *s, const struct tcp_sock *sk)
{
    uint32_t srtt = sk->srtt8 >> 3;
    return sk->srtt8 && sk->nsack &&
           tcp_now32(s) - sk->una_rexmit_at > srtt + srtt / 4 + 2;
}

/* Is the segment at snd_una lost? Three duplicate ACKs (RFC 5681); or three
   segments SACKed above it (RFC 6675 IsLost, when ACKs were lost too); or, with
   fewer than four segments out and nothing new to send, one fewer duplicate ACK
   than segments (early retransmit, RFC 5827). */
static bool lost_segment(const struct tcp_sock *sk)
{
    uint32_t mss = tcp_data_mss(sk);
    if (sk->dupacks >= 3)
        return true;
    uint32_t sacked = 0;
    for (unsigned i = 0; i < sk->nsack; i++)
        sacked += sk->sack[i].right - sk->sack[i].left;
    if (sacked >= 3 * mss)
        return true;
    uint32_t flight = sk->snd_max - sk->snd_una;
    uint32_t segs = (flight + mss - 1) / mss;
    bool more = tcp_seq_lt(sk->snd_max, sk->snd_buf_seq + sk->sb_len);
    return segs < 4 && !more && segs > 1 && sk->dupacks >= segs - 1;
}

static bool fin_acked(const struct tcp_sock *sk)
{
    return (sk->flags & TCP_F_FIN_Q) && sk->sb_len == 0 &&
           sk->snd_una == sk->snd_buf_seq + 1;
}

/* Returns false if the segment must be dropped. */
static bool ack_input(struct tcp_stack *s, struct tcp_sock *sk, const struct seg *g)
{
    uint32_t ack = g->ack;
    uint32_t top = sk->snd_max;
    if ((sk->flags & TCP_F_PERSIST) && sk->snd_una == sk->snd_max && sk->sb_len > 0 &&
        sk->snd_una == sk->snd_buf_seq)
        top = sk->snd_una + 1; /* our 1-byte window probe (unsent data) may be ACKed */
    if (tcp_seq_gt(ack, top)) {
        s->stats.rx_bad_ack++;
        tcp_send_ack_now(s, sk);
        return false;
    }
    if (tcp_seq_lt(ack, sk->snd_una - sk->max_sndwnd)) {
        /* RFC 5961 5.2: too old to be trusted */
        s->stats.rx_bad_ack++;
        tcp_send_ack_now(s, sk);
        return false;
    }
    if (sk->state == TCP_SYN_RCVD) {
        if (!tcp_seq_gt(ack, sk->snd_una)) {
            reset_for(s, g);
            return false;
        }
        sk->snd_wnd = g->wnd << sk->snd_ws;
        sk->max_sndwnd = tcp_seq_max(sk->max_sndwnd, sk->snd_wnd);
        sk->snd_wl1 = g->seq;
        sk->snd_wl2 = ack;
        established(s, sk);
    }
    if (tcp_seq_gt(ack, sk->snd_max)) {
        sk->snd_max = ack; /* the window probe byte was taken */
        sk->snd_nxt = ack;
    }
    uint32_t wnd = g->wnd << sk->snd_ws;
    uint32_t mss = tcp_data_mss(sk);
    if (g->o.nsack && (sk->flags & TCP_F_SACK))
        sack_update(sk, g);

    if (tcp_seq_gt(ack, sk->snd_una)) {
        uint32_t acked = ack - sk->snd_una;
        if (tcp_seq_gt(ack, sk->snd_buf_seq)) {
            uint32_t d = ack - sk->snd_buf_seq;
            if (d > sk->sb_len)
                d = sk->sb_len;
            sk->sb_head = (sk->sb_head + d) % APOGEE_TCP_SNDBUF;
            sk->sb_len -= d;
            sk->snd_buf_seq += d;
        }
        sk->snd_una = ack;
        if (tcp_seq_lt(sk->snd_nxt, ack))
            sk->snd_nxt = ack;
        sk->backoff = 0;
        sk->flags &= (uint16_t)~TCP_F_TLP_DONE;
        if ((sk->flags & TCP_F_TS) && (g->o.present & TCP_OPT_TS) && g->o.tsecr) {
            /* RFC 7323 4.1: the echoed timestamp dates the segment exactly, even
               a retransmitted one, so Karn's ambiguity does not arise */
            uint32_t r = tcp_now32(s) + sk->ts_off - g->o.tsecr;
            if (r < APOGEE_TCP_RTO_MAX_MS)
                rtt_sample(sk, r);
            sk->flags &= (uint16_t)~TCP_F_RTT;
        } else if ((sk->flags & TCP_F_RTT) && tcp_seq_gt(ack, sk->rtt_seq)) {
            rtt_sample(sk, tcp_now32(s) - sk->rtt_start);
            sk->flags &= (uint16_t)~TCP_F_RTT;
        }
        sack_prune(sk);
        if (sk->flags & TCP_F_RECOVERY) {
            if (tcp_seq_ge(ack, sk->recover)) {
                /* full ACK (RFC 6582 3.2 step 3) */
                uint32_t flight = sk->snd_max - sk->snd_una;
                sk->cwnd = sk->ssthresh < flight + mss ? sk->ssthresh : flight + mss;
                sk->flags &= (uint16_t)~TCP_F_RECOVERY;
                sk->dupacks = 0;
            } else {
                /* partial ACK: resend the next unacknowledged segment, deflate */
                tcp_rexmit_one(s, sk, sk->snd_una, mss);
                sk->rexmit_hi = tcp_seq_max(sk->rexmit_hi, sk->snd_una + mss);
                sk->una_rexmit_at = tcp_now32(s);
                sk->cwnd = sk->cwnd > acked ? sk->cwnd - acked : mss;
                if (acked >= mss)
                    sk->cwnd += mss;
            }
        } else {
            sk->dupacks = 0;
            /* appropriate byte counting (RFC 3465, L = 2 SMSS): a stretch ACK
               for several segments grows the window for all of them */
            if (sk->cwnd < sk->ssthresh)
                sk->cwnd += acked < 2 * mss ? acked : 2 * mss;
            else {
                uint32_t a = acked < sk->cwnd ? acked : sk->cwnd;
                if (a > 0xffffu)
                    a = 0xffffu; /* keeps mss * a in 32 bits (no 64-bit division) */
                uint32_t inc = mss * a / sk->cwnd;
                sk->cwnd += inc ? inc : 1u;
            }
        }
        if (sk->cwnd > (1u << 30))
            sk->cwnd = 1u << 30;
        if (sk->snd_una == sk->snd_max) {
            if (sk->snd_una == sk->snd_buf_seq + sk->sb_len)
                sk->flags &= (uint16_t)~TCP_F_PERSIST; /* nothing left to probe with */
            sk->t_rexmt = (sk->flags & TCP_F_PERSIST) ? sk->t_rexmt : 0;
        } else {
            tcp_arm_rexmt(s, sk);
        }
    } else if (ack == sk->snd_una && g->dlen == 0 && !(g->fl & (TH_SYN | TH_FIN)) &&
               (wnd == sk->snd_wnd || g->o.nsack) && sk->snd_max != sk->snd_una) {
        /* a duplicate ACK (RFC 5681 2; with SACK, a window change does not hide it) */
        s->stats.rx_dup_acks++;
        if (sk->dupacks < 255)
            sk->dupacks++;
        uint32_t hole;
        if (sk->flags & TCP_F_RECOVERY) {
            if ((sk->flags & TCP_F_SACK) && una_resend_lost(s, sk)) {
                s->stats.sack_retransmits++;
                rexmit_hole(s, sk, sk->snd_una);
            } else if ((sk->flags & TCP_F_SACK) && sack_hole(sk, &hole)) {
                s->stats.sack_retransmits++;
                rexmit_hole(s, sk, hole);
            } else {
                sk->cwnd += mss;
            }
        } else if (lost_segment(sk) &&
                   (tcp_seq_ge(ack, sk->recover) || (sk->flags & TCP_F_SACK))) {
            /* RFC 6582 3.2 step 2 guards against resends after a timeout; with
               SACK the duplicate ACKs name real holes, so recovery may start */
            uint32_t flight = sk->snd_max - sk->snd_una;
            sk->ssthresh = flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
            sk->recover = sk->snd_max;
            sk->rexmit_hi = sk->snd_una;
            sk->flags |= TCP_F_RECOVERY;
            s->stats.fast_retransmits++;
            rexmit_hole(s, sk, sk->snd_una);
            sk->cwnd = sk->ssthresh + 3 * mss;
        }
    }
    /* window update (RFC 9293 3.10.7.4) */
    if (tcp_seq_lt(sk->snd_wl1, g->seq) ||
        (sk->snd_wl1 == g->seq && tcp_seq_le(sk->snd_wl2, ack))) {
        sk->snd_wnd = wnd;
        sk->snd_wl1 = g->seq;
        sk->snd_wl2 = ack;
        if (wnd > sk->max_sndwnd)
            sk->max_sndwnd = wnd;
        if (wnd > 0 && (sk->flags & TCP_F_PERSIST)) {
            sk->flags &= (uint16_t)~TCP_F_PERSIST;
            sk->t_rexmt = 0;
            sk->backoff = 0;
            if (sk->snd_una != sk->snd_max)
                tcp_arm_rexmt(s, sk);
        }
    }
    if (fin_acked(sk)) {
        switch (sk->state) {
        case TCP_FIN_WAIT_1:
            sk->state = TCP_FIN_WAIT_2;
            sk->t_rexmt = 0;
            if (sk->owner == TCP_OWNER_NONE)
                sk->t_keep = s->now + APOGEE_TCP_FIN_WAIT2_MS;
            break;
        case TCP_CLOSING:
            tcp_enter_time_wait(s, sk);
            break;
        case TCP_LAST_ACK:
            tcp_closed(s, sk, 0);
            return false;
        default:
            break;
        }
    }
    return true;
}

/* ---- Receive side --------------------------------------------------------- */

static void ring_put(struct tcp_sock *sk, uint32_t pos, const uint8_t *d, uint32_t n)
{
    pos %= APOGEE_TCP_RCVBUF;
    uint32_t first = APOGEE_TCP_RCVBUF - pos;
    if (first > n)
        first = n;
    memcpy(sk->rcvbuf + pos, d, first);
    memcpy(sk->rcvbuf, d + first, n - first);
}

static void ooo_insert(struct tcp_stack *s, struct tcp_sock *sk, uint32_t l, uint32_t r)
{
    unsigned i = 0;
    while (i < sk->nooo) {
        struct tcp_range *b = &sk->ooo[i];
        if (tcp_seq_le(b->left, r) && tcp_seq_le(l, b->right)) {
            l = tcp_seq_min(l, b->left);
            r = tcp_seq_max(r, b->right);
            *b = sk->ooo[--sk->nooo];
        } else {
            i++;
        }
    }
    if (sk->nooo == APOGEE_TCP_OOO_RANGES) {
        s->stats.rx_ooo_dropped++;
        return; /* what merged before stays recorded below */
    }
    sk->ooo[sk->nooo].left = l;
    sk->ooo[sk->nooo].right = r;
    sk->ooo_last = sk->nooo++;
}

static void fin_input(struct tcp_stack *s, struct tcp_sock *sk)
{
    sk->rcv_nxt++;
    sk->flags |= TCP_F_RCVD_FIN | TCP_F_ACKNOW;
    sk->flags &= (uint16_t)~TCP_F_OOO_FIN;
    switch (sk->state) {
    case TCP_SYN_RCVD:
    case TCP_ESTABLISHED:
        sk->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        sk->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        tcp_enter_time_wait(s, sk);
        break;
    default:
        break;
    }
}

static void data_input(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq,
                       const uint8_t *d, uint32_t n)
{
    if (seq == sk->rcv_nxt) {
        bool had_ooo = sk->nooo > 0;
        ring_put(sk, sk->rb_head + sk->rb_len, d, n);
        sk->rcv_nxt += n;
        sk->rb_len += n;
        /* pull in out-of-order ranges that now join */
        bool moved = true;
        while (moved) {
            moved = false;
            for (unsigned i = 0; i < sk->nooo; i++) {
                struct tcp_range *b = &sk->ooo[i];
                if (tcp_seq_le(b->left, sk->rcv_nxt)) {
                    if (tcp_seq_gt(b->right, sk->rcv_nxt)) {
                        sk->rb_len += b->right - sk->rcv_nxt;
                        sk->rcv_nxt = b->right;
                    }
                    *b = sk->ooo[--sk->nooo];
                    moved = true;
                    break;
                }
            }
        }
        if (sk->ooo_last >= sk->nooo)
            sk->ooo_last = 0;
        /* Every second full segment is owed an ACK at once (RFC 9293 3.8.6.3), but
           it goes out from the next tcp_poll, which the main loop calls after
           handing over everything the driver had: segments that arrived together
           get one ACK, sent no later than the first of them would have been. */
        if (had_ooo)
            sk->flags |= TCP_F_ACKNOW;
        else if (++sk->unacked >= 2)
            sk->pending |= TCP_P_ACK;
        else if (!sk->t_delack)
            sk->t_delack = s->now + APOGEE_TCP_DELACK_MS;
    } else {
        s->stats.rx_ooo++;
        ring_put(sk, sk->rb_head + sk->rb_len + (seq - sk->rcv_nxt), d, n);
        ooo_insert(s, sk, seq, seq + n);
        sk->flags |= TCP_F_ACKNOW; /* duplicate ACK with SACK at once (RFC 5681 4.2) */
    }
}

static void sync_input(struct tcp_stack *s, struct tcp_sock *sk, struct seg *g)
{
    uint32_t seglen = g->dlen + ((g->fl & TH_SYN) ? 1u : 0u) + ((g->fl & TH_FIN) ? 1u : 0u);
    bool has_ts = (sk->flags & TCP_F_TS) && (g->o.present & TCP_OPT_TS);

    /* SYN_RCVD: a retransmitted SYN means our SYN,ACK was lost. */
    if (sk->state == TCP_SYN_RCVD && (g->fl & TH_SYN) && !(g->fl & (TH_ACK | TH_RST)) &&
        g->seq == sk->irs) {
        sk->flags |= TCP_F_ACKNOW;
        tcp_output(s, sk);
        return;
    }
    /* SYN_RCVD after a simultaneous open: the peer's SYN,ACK repeats its SYN and
       ACKs ours; take it as the ACK (the SYN's sequence number is already used). */
    if (sk->state == TCP_SYN_RCVD && (g->fl & (TH_SYN | TH_ACK | TH_RST)) == (TH_SYN | TH_ACK) &&
        g->seq == sk->irs && tcp_seq_gt(g->ack, sk->iss) && tcp_seq_le(g->ack, sk->snd_max)) {
        g->fl &= (uint8_t)~TH_SYN;
        g->seq++;
        seglen--;
    }
    /* PAWS (RFC 7323 5.3) */
    if (has_ts && !(g->fl & TH_RST) && (int32_t)(g->o.tsval - sk->ts_recent) < 0 &&
        tcp_now32(s) - sk->ts_recent_at < 24u * 24 * 3600 * 1000) {
        s->stats.rx_paws++;
        tcp_send_ack_now(s, sk);
        return;
    }
    /* acceptability (RFC 9293 3.10.7.4, first) */
    uint32_t wnd = sk->rcv_adv - sk->rcv_nxt;
    if (tcp_seq_lt(sk->rcv_adv, sk->rcv_nxt))
        wnd = 0;
    bool ok;
    if (seglen == 0)
        ok = wnd == 0 ? g->seq == sk->rcv_nxt
                      : tcp_seq_in(g->seq, sk->rcv_nxt, sk->rcv_nxt + wnd);
    else
        ok = wnd != 0 && (tcp_seq_in(g->seq, sk->rcv_nxt, sk->rcv_nxt + wnd) ||
                          tcp_seq_in(g->seq + seglen - 1, sk->rcv_nxt, sk->rcv_nxt + wnd));
    if (!ok && wnd == 0 && g->seq == sk->rcv_nxt && !(g->fl & TH_RST)) {
        /* zero window: still take the ACK (RFC 9293 3.10.7.4) */
        g->dlen = 0;
        g->fl &= (uint8_t)~(TH_FIN | TH_SYN);
        seglen = 0;
        ok = true;
        sk->flags |= TCP_F_ACKNOW;
    }
    if (!ok) {
        if (!(g->fl & TH_RST)) {
            s->stats.rx_out_of_window++;
            if (sk->state == TCP_TIME_WAIT && (g->fl & TH_FIN))
                sk->t_keep = s->now + 2u * APOGEE_TCP_MSL_MS;
            tcp_send_ack_now(s, sk);
        }
        return;
    }
    /* RST (RFC 5961 3.2) */
    if (g->fl & TH_RST) {
        if (g->seq != sk->rcv_nxt) {
            tcp_challenge_ack(s, sk);
            return;
        }
        if (sk->state == TCP_TIME_WAIT) {
            s->stats.rx_bad_flags++; /* RFC 1337: no TIME_WAIT assassination */
            return;
        }
        s->stats.rx_rst++;
        if (sk->state == TCP_SYN_RCVD && (sk->flags & TCP_F_PASSIVE))
            tcp_free(sk);
        else if (sk->state == TCP_SYN_RCVD)
            tcp_closed(s, sk, APG_ECONNREFUSED);
        else if (sk->state == TCP_CLOSING || sk->state == TCP_LAST_ACK)
            tcp_closed(s, sk, 0);
        else
            tcp_closed(s, sk, APG_ECONNRESET);
        return;
    }
    /* SYN in a synchronized state (RFC 5961 4.2) */
    if (g->fl & TH_SYN) {
        tcp_challenge_ack(s, sk);
        return;
    }
    if (!(g->fl & TH_ACK))
        return;
    /* timestamps: remember the newest (RFC 7323 4.3) */
    if (has_ts && tcp_seq_le(g->seq, sk->last_ack_sent) &&
        (int32_t)(g->o.tsval - sk->ts_recent) >= 0) {
        sk->ts_recent = g->o.tsval;
        sk->ts_recent_at = tcp_now32(s);
    }
    sk->keep_probes = 0; /* the peer is alive: probes were answered */
    if (sk->keep_idle && (sk->state == TCP_ESTABLISHED || sk->state == TCP_CLOSE_WAIT))
        sk->t_keep = s->now + sk->keep_idle;
    if (!ack_input(s, sk, g))
        return;
    /* trim to the window */
    uint32_t seq = g->seq;
    const uint8_t *d = g->data;
    uint32_t n = g->dlen;
    bool fin = (g->fl & TH_FIN) != 0;
    if (tcp_seq_lt(seq, sk->rcv_nxt)) {
        uint32_t skip = sk->rcv_nxt - seq;
        if (skip > n) {
            skip = n; /* only a FIN (already in sequence) left */
        }
        d += skip;
        n -= skip;
        seq += skip;
    }
    uint32_t room = tcp_window_room(sk);
    uint32_t right = sk->rcv_nxt + (room < wnd ? room : wnd);
    if (tcp_seq_gt(seq + n, right)) {
        n = tcp_seq_gt(right, seq) ? right - seq : 0;
        fin = false;
    }
    bool can_rcv = (sk->state == TCP_ESTABLISHED || sk->state == TCP_FIN_WAIT_1 ||
                    sk->state == TCP_FIN_WAIT_2) && !(sk->flags & TCP_F_RCVD_FIN);
    if (n > 0 && can_rcv)
        data_input(s, sk, seq, d, n);
    if (fin && !(sk->flags & TCP_F_RCVD_FIN)) {
        uint32_t fseq = seq + n;
        if (fseq == sk->rcv_nxt) {
            fin_input(s, sk);
        } else if (tcp_seq_gt(fseq, sk->rcv_nxt) && can_rcv) {
            sk->flags |= TCP_F_OOO_FIN | TCP_F_ACKNOW;
            sk->fin_seq_rcvd = fseq;
        }
    }
    if ((sk->flags & TCP_F_OOO_FIN) && sk->rcv_nxt == sk->fin_seq_rcvd &&
        !(sk->flags & TCP_F_RCVD_FIN))
        fin_input(s, sk);
    tcp_output(s, sk);
}

/* ---- Entry ------------------------------------------------------------------ */

static bool bad_ip(uint32_t a)
{
    return a == 0 || a == 0xffffffffu || (a >> 28) == 0xe || (a >> 24) == 127;
}

static void input(struct tcp_stack *s, uint32_t src_ip, uint32_t dst_ip, const uint8_t *seg,
                  size_t len, bool csum_ok, uint64_t now_ms)
{
    struct seg g;
    if (now_ms > s->now)
        s->now = now_ms;
    s->stats.rx_segs++;
    if (!seg || len < 20 || len > 0xffffu) {
        s->stats.rx_short++;
        return;
    }
    size_t doff = (size_t)(seg[12] >> 4) * 4;
    if (doff < 20 || doff > len) {
        s->stats.rx_short++;
        return;
    }
    if (!csum_ok && tcp_checksum(src_ip, dst_ip, seg, len) != 0) {
        s->stats.rx_bad_csum++;
        return;
    }
    g.src = src_ip;
    g.dst = dst_ip;
    g.sport = (uint16_t)(seg[0] << 8 | seg[1]);
    g.dport = (uint16_t)(seg[2] << 8 | seg[3]);
    if (g.sport == 0 || g.dport == 0 || bad_ip(src_ip) || (dst_ip >> 28) == 0xe ||
        dst_ip == 0xffffffffu) {
        s->stats.rx_bad_addr++;
        return;
    }
    if (s->local_ip && dst_ip != s->local_ip) {
        /* only a connection opened before an address change may still use it */
        bool known = false;
        for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++)
            known |= s->socks[i].used && s->socks[i].state > TCP_LISTEN &&
                     s->socks[i].lip == dst_ip;
        if (!known) {
            s->stats.rx_bad_addr++;
            return;
        }
    }
    g.seq = rd32(seg + 4);
    g.ack = rd32(seg + 8);
    g.fl = seg[13] & 0x3f;
    g.wnd = (uint32_t)(seg[14] << 8 | seg[15]);
    g.data = seg + doff;
    g.dlen = (uint32_t)(len - doff);
    if (tcp_opts_parse(seg + 20, doff - 20, &g.o) != 0) {
        s->stats.rx_bad_opts++;
        return;
    }
    if ((g.fl & (TH_SYN | TH_RST)) == (TH_SYN | TH_RST) || g.fl == 0) {
        s->stats.rx_bad_flags++;
        return;
    }
    struct tcp_sock *sk = NULL, *l = NULL;
    for (unsigned i = 0; i < APOGEE_TCP_SOCKETS; i++) {
        struct tcp_sock *c = &s->socks[i];
        if (!c->used || c->lport != g.dport)
            continue;
        if (c->state == TCP_LISTEN)
            l = c;
        else if (c->state != TCP_CLOSED && c->rport == g.sport && c->rip == src_ip &&
                 c->lip == dst_ip)
            sk = c;
    }
    if (!sk && l) {
        listen_input(s, l, &g);
        return;
    }
    if (!sk) {
        s->stats.rx_no_socket++;
        reset_for(s, &g);
        return;
    }
    /* A new SYN for a 4-tuple in TIME_WAIT reopens it when it is clearly newer
       (higher sequence number or timestamp; RFC 9293 3.10.7.4 note, RFC 6191):
       a client reusing its port must not wait out our 2 MSL. */
    if (sk->state == TCP_TIME_WAIT && l && (g.fl & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
        sk->owner == TCP_OWNER_NONE &&
        (tcp_seq_gt(g.seq, sk->rcv_nxt) ||
         ((sk->flags & TCP_F_TS) && (g.o.present & TCP_OPT_TS) &&
          (int32_t)(g.o.tsval - sk->ts_recent) > 0))) {
        tcp_free(sk);
        listen_input(s, l, &g);
        return;
    }
    if (sk->state == TCP_SYN_SENT)
        syn_sent_input(s, sk, &g);
    else
        sync_input(s, sk, &g);
}

void tcp_input(struct tcp_stack *s, uint32_t src_ip, uint32_t dst_ip, const uint8_t *seg,
               size_t len, uint64_t now_ms)
{
    input(s, src_ip, dst_ip, seg, len, false, now_ms);
}

void tcp_input_csum_ok(struct tcp_stack *s, uint32_t src_ip, uint32_t dst_ip,
                       const uint8_t *seg, size_t len, uint64_t now_ms)
{
    input(s, src_ip, dst_ip, seg, len, true, now_ms);
}
