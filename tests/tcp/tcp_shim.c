/*
 * tcp_shim.c - test-only: one static TCP stack whose output callback captures
 * segments in a queue, for the scripted-peer tests (cffi ABI mode).
 */
#include <string.h>

#include "tcp.h"
#include "tcp_opt.h"
#include "tcp_priv.h"
#include "tcp_seq.h"

#define QN 512
static struct tcp_stack st;
static uint8_t q[QN][80 + APOGEE_TCP_MSS];
static uint32_t qlen[QN], qsrc[QN], qdst[QN];
static unsigned qhead, qcount;
static uint32_t dropped_out;
static uint64_t rstate;
static int fail_out;

static int out(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    (void)ctx;
    if (fail_out)
        return APG_EIO;
    if (qcount == QN || len > sizeof q[0]) {
        dropped_out++;
        return APG_ENOMEM;
    }
    unsigned i = (qhead + qcount++) % QN;
    memcpy(q[i], seg, len);
    qlen[i] = (uint32_t)len;
    qsrc[i] = src;
    qdst[i] = dst;
    return 0;
}

static uint32_t rnd(void *ctx)
{
    (void)ctx;
    rstate ^= rstate << 13;
    rstate ^= rstate >> 7;
    rstate ^= rstate << 17;
    return (uint32_t)(rstate >> 11);
}

struct tcp_stack *shim_init(uint64_t seed, uint32_t ip)
{
    rstate = seed * 0x9E3779B97F4A7C15ull + 1;
    qhead = qcount = 0;
    dropped_out = 0;
    fail_out = 0;
    tcp_init(&st, out, NULL, rnd, NULL, ip);
    return &st;
}

void shim_fail_output(int on) { fail_out = on; }

/* Pop the oldest captured segment into buf (>= 80 + MSS bytes); its length, or -1. */
int shim_pop(uint8_t *buf, uint32_t *src, uint32_t *dst)
{
    if (!qcount)
        return -1;
    unsigned i = qhead;
    qhead = (qhead + 1) % QN;
    qcount--;
    memcpy(buf, q[i], qlen[i]);
    *src = qsrc[i];
    *dst = qdst[i];
    return (int)qlen[i];
}

const struct tcp_counters *shim_stats(void) { return &st.stats; }
size_t shim_sizeof_sock(void) { return sizeof(struct tcp_sock); }
size_t shim_sizeof_stack(void) { return sizeof(struct tcp_stack); }
size_t shim_counters_size(void) { return sizeof(struct tcp_counters); }

int shim_seq_lt(uint32_t a, uint32_t b) { return tcp_seq_lt(a, b); }
int shim_seq_le(uint32_t a, uint32_t b) { return tcp_seq_le(a, b); }
int shim_seq_in(uint32_t x, uint32_t lo, uint32_t hi) { return tcp_seq_in(x, lo, hi); }
uint16_t shim_checksum(uint32_t s, uint32_t d, const uint8_t *p, size_t n)
{
    return tcp_checksum(s, d, p, n);
}

/* Parse options; returns the parse result and fills the flat fields. */
int shim_opts(const uint8_t *p, size_t n, uint32_t res[14])
{
    struct tcp_opts o;
    int r = tcp_opts_parse(p, n, &o);
    res[0] = o.present;
    res[1] = o.mss;
    res[2] = o.ws;
    res[3] = o.tsval;
    res[4] = o.tsecr;
    res[5] = o.nsack;
    for (unsigned i = 0; i < 4; i++) {
        res[6 + 2 * i] = o.sack[i][0];
        res[7 + 2 * i] = o.sack[i][1];
    }
    return r;
}

/* A few internals for assertions, by name. */
enum { F_RTO, F_CWND, F_SSTHRESH, F_SND_UNA, F_SND_NXT, F_SND_MAX, F_RCV_NXT, F_SND_WND,
       F_FLAGS, F_ISS, F_IRS, F_BACKOFF, F_SRTT8, F_RCV_ADV, F_SB_LEN, F_RB_LEN, F_USED,
       F_STATE, F_OWNER, F_MSS, F_SND_WS, F_RCV_WS, F_NOOO };

int64_t shim_sock(int sd, int field)
{
    if (sd < 0 || sd >= APOGEE_TCP_SOCKETS)
        return -1;
    const struct tcp_sock *k = &st.socks[sd];
    switch (field) {
    case F_RTO: return k->rto;
    case F_CWND: return k->cwnd;
    case F_SSTHRESH: return k->ssthresh;
    case F_SND_UNA: return k->snd_una;
    case F_SND_NXT: return k->snd_nxt;
    case F_SND_MAX: return k->snd_max;
    case F_RCV_NXT: return k->rcv_nxt;
    case F_SND_WND: return k->snd_wnd;
    case F_FLAGS: return k->flags;
    case F_ISS: return k->iss;
    case F_IRS: return k->irs;
    case F_BACKOFF: return k->backoff;
    case F_SRTT8: return k->srtt8;
    case F_RCV_ADV: return k->rcv_adv;
    case F_SB_LEN: return k->sb_len;
    case F_RB_LEN: return k->rb_len;
    case F_USED: return k->used;
    case F_STATE: return k->state;
    case F_OWNER: return k->owner;
    case F_MSS: return k->mss;
    case F_SND_WS: return k->snd_ws;
    case F_RCV_WS: return k->rcv_ws;
    case F_NOOO: return k->nooo;
    default: return -1;
    }
}
