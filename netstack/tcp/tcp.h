/*
 * tcp.h - TCP (RFC 9293) as a sans-IO core with static memory.
 *
 * The core never touches a driver, a clock or the heap. The IP layer hands it whole
 * TCP segments with the IPv4 addresses (tcp_input), the main loop calls tcp_poll for
 * the timers, and the core emits finished segments (checksum filled in) through the
 * output callback given to tcp_init. Every socket lives in a fixed table inside
 * struct tcp_stack, which the caller allocates (static storage); its size is
 * sizeof(struct tcp_stack) and depends only on the APOGEE_TCP_* macros below.
 *
 * What is implemented: the whole RFC 9293 state machine (simultaneous open and
 * close, TIME_WAIT), RFC 5961 (challenge ACKs for in-window RST and SYN, ACK
 * validation, rate-limited), MSS, window scaling and timestamps with PAWS (RFC 7323),
 * SACK (RFC 2018: out-of-order data kept in the receive ring and reported; peer's
 * SACK blocks steer retransmission in recovery), RTO per RFC 6298 with Karn's rule
 * and exponential backoff, NewReno fast retransmit and recovery (RFC 5681, 6582)
 * with limited transmit (RFC 3042), early retransmit (RFC 5827) and a tail loss
 * probe (RFC 8985 section 7),
 * delayed ACKs, Nagle, zero-window probes (persist), keepalive, a bounded listen
 * backlog (SYN flood: the oldest embryonic connection is recycled, counted), ISNs per
 * RFC 6528 (SipHash-2-4 of the 4-tuple under a random key plus a 4 us clock).
 *
 * Handles: every socket call takes an int socket descriptor (sd), an index into the
 * table returned by tcp_listen, tcp_accept or tcp_connect. A descriptor stays valid
 * until tcp_close or tcp_abort on it, even after the connection died (its state is
 * then TCP_CLOSED and tcp_error tells why). After tcp_close the core finishes the
 * close in the background (FIN, TIME_WAIT) and frees the slot itself.
 *
 * Addresses and ports are host byte order. Times are milliseconds from any fixed
 * origin (a monotonic clock); they must never go backwards.
 */
#ifndef APOGEE_TCP_H
#define APOGEE_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apogee/err.h"

/* ---- Static sizes (an app description overrides them) ------------------------ */

/* Socket table entries. A listener takes one; each embryonic (SYN_RCVD), queued,
   open or closing (TIME_WAIT, LAST_ACK...) connection takes one. */
#ifndef APOGEE_TCP_SOCKETS
#define APOGEE_TCP_SOCKETS 8
#endif
/* Bytes of send ring per socket: unacknowledged plus not-yet-sent data. */
#ifndef APOGEE_TCP_SNDBUF
#define APOGEE_TCP_SNDBUF 4096
#endif
/* Bytes of receive ring per socket: unread data plus out-of-order data; the
   advertised window is what is free in it. */
#ifndef APOGEE_TCP_RCVBUF
#define APOGEE_TCP_RCVBUF 4096
#endif
/* Upper bound for a listener's backlog: embryonic + not yet accepted children. */
#ifndef APOGEE_TCP_BACKLOG
#define APOGEE_TCP_BACKLOG 4
#endif
/* Largest segment payload sent or announced (1460 = Ethernet MTU - 40). */
#ifndef APOGEE_TCP_MSS
#define APOGEE_TCP_MSS 1460
#endif
/* Disjoint out-of-order ranges remembered in the receive ring (and reported as SACK
   blocks); a segment that would need one more is dropped and counted. */
#ifndef APOGEE_TCP_OOO_RANGES
#define APOGEE_TCP_OOO_RANGES 4
#endif
/* SACK blocks remembered from the peer (the send-side scoreboard). */
#ifndef APOGEE_TCP_SACK_BLOCKS
#define APOGEE_TCP_SACK_BLOCKS 4
#endif
/* RFC 6298 RTO bounds. The RFC's lower bound is 1 s (a SHOULD); 200 ms is what
   Linux uses and what lets us keep up with it under loss. */
#ifndef APOGEE_TCP_RTO_MIN_MS
#define APOGEE_TCP_RTO_MIN_MS 200
#endif
#ifndef APOGEE_TCP_RTO_INIT_MS
#define APOGEE_TCP_RTO_INIT_MS 1000
#endif
#ifndef APOGEE_TCP_RTO_MAX_MS
#define APOGEE_TCP_RTO_MAX_MS 60000
#endif
/* Retransmissions before giving up: of a SYN, and of data/FIN. */
#ifndef APOGEE_TCP_SYN_RETRIES
#define APOGEE_TCP_SYN_RETRIES 6
#endif
#ifndef APOGEE_TCP_DATA_RETRIES
#define APOGEE_TCP_DATA_RETRIES 12
#endif
/* Delayed ACK timeout (RFC 9293: < 500 ms); every second full segment is ACKed at
   once anyway. */
#ifndef APOGEE_TCP_DELACK_MS
#define APOGEE_TCP_DELACK_MS 40
#endif
/* Maximum segment lifetime; TIME_WAIT lasts 2 * MSL. */
#ifndef APOGEE_TCP_MSL_MS
#define APOGEE_TCP_MSL_MS 30000
#endif
/* An orphaned (closed by the app) connection in FIN_WAIT_2 is freed after this. */
#ifndef APOGEE_TCP_FIN_WAIT2_MS
#define APOGEE_TCP_FIN_WAIT2_MS 60000
#endif
/* Keepalive (off unless tcp_keepalive turns it on; RFC 9293 3.8.4 defaults). */
#ifndef APOGEE_TCP_KEEPIDLE_MS
#define APOGEE_TCP_KEEPIDLE_MS 7200000u
#endif
#ifndef APOGEE_TCP_KEEPINTVL_MS
#define APOGEE_TCP_KEEPINTVL_MS 75000u
#endif
#ifndef APOGEE_TCP_KEEPCNT
#define APOGEE_TCP_KEEPCNT 9
#endif
/* RFC 5961 section 7: at most this many challenge ACKs per second, stack-wide. */
#ifndef APOGEE_TCP_CHALLENGE_ACKS_PER_S
#define APOGEE_TCP_CHALLENGE_ACKS_PER_S 10
#endif

/* ---- Types ------------------------------------------------------------------ */

enum tcp_state {
    TCP_CLOSED = 0,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RCVD,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* Emit one finished segment (header + data, checksum filled in) from src_ip to
   dst_ip. The buffer is only valid during the call. Returns >= 0 or a negative
   APG_E* code; a failure is counted and treated like a lost segment. */
typedef int (*tcp_output_fn)(void *ctx, uint32_t src_ip, uint32_t dst_ip,
                             const uint8_t *seg, size_t len);

/* Everything dropped, refused or recycled is counted here (never a silent loss). */
struct tcp_counters {
    uint32_t rx_segs;          /* segments handed to tcp_input */
    uint32_t tx_segs;          /* segments given to the output callback */
    uint32_t tx_errors;        /* ... that the callback refused */
    uint32_t rx_short;         /* shorter than a header / bad data offset */
    uint32_t rx_bad_csum;
    uint32_t rx_bad_addr;      /* not our address, broadcast or zero source, port 0 */
    uint32_t rx_bad_opts;      /* malformed option list */
    uint32_t rx_bad_flags;     /* e.g. SYN+RST, no flags, SYN+FIN on a listener */
    uint32_t rx_no_socket;     /* no connection or listener: answered with RST */
    uint32_t rx_out_of_window; /* unacceptable sequence: ACKed and dropped */
    uint32_t rx_paws;          /* old timestamp (RFC 7323 PAWS) */
    uint32_t rx_bad_ack;       /* ACK outside the valid range */
    uint32_t rx_dup_acks;
    uint32_t rx_ooo;           /* out-of-order segments kept */
    uint32_t rx_ooo_dropped;   /* out-of-order segments without a free range */
    uint32_t rx_rst;           /* RSTs that reset a connection */
    uint32_t challenge_acks;   /* RFC 5961 challenge ACKs sent */
    uint32_t challenge_limited;/* ... suppressed by the rate limit */
    uint32_t tx_rst;
    uint32_t syn_backlog_drop; /* SYN dropped: backlog full of accepted-pending */
    uint32_t syn_recycled;     /* embryonic connection dropped for a newer SYN */
    uint32_t tw_recycled;      /* TIME_WAIT slot reused because the table was full */
    uint32_t table_full;       /* no slot for a SYN or a connect */
    uint32_t retransmits;      /* segments sent again (any cause) */
    uint32_t rto_fired;
    uint32_t fast_retransmits; /* recoveries entered on 3 duplicate ACKs */
    uint32_t sack_retransmits; /* holes retransmitted because SACK showed them */
    uint32_t zwp_sent;         /* zero-window probes */
    uint32_t keepalives_sent;
    uint32_t timeouts;         /* connections dropped: retries or keepalive exhausted */
    uint32_t conn_opened;      /* reached ESTABLISHED */
    uint32_t tlp_probes;       /* tail loss probes (RFC 8985 7) */
};

struct tcp_range {
    uint32_t left, right; /* [left, right) in sequence space */
};

/* One socket table entry. Fields are the core's; read them only for diagnostics. */
struct tcp_sock {
    uint8_t used;      /* slot allocated */
    uint8_t state;     /* enum tcp_state */
    uint8_t owner;     /* TCP_OWNER_* below */
    uint8_t snd_ws;    /* peer's window shift (0 if no WS) */
    uint8_t rcv_ws;    /* our window shift */
    uint8_t dupacks;
    uint8_t backoff;   /* retransmissions / probes of the current timer */
    uint8_t nsack;     /* used entries in sack[] */
    uint8_t nooo;      /* used entries in ooo[] */
    uint8_t ooo_last;  /* ooo[] entry of the most recent segment (SACK's 1st block) */
    uint8_t unacked;   /* full segments received and not yet ACKed */
    uint8_t backlog;   /* listener: max children; child: unused */
    uint8_t keep_probes; /* keepalive or zero-window probes sent without an answer */
    uint8_t pending;   /* TCP_P_* (internal): work left for the next tcp_poll */
    uint16_t flags;    /* TCP_F_* (internal) */
    uint16_t lport, rport;
    uint16_t mss;      /* send MSS (what the peer accepts, capped by ours) */
    int16_t parent;    /* listener index of a child, -1 otherwise */
    int16_t err;       /* why the connection ended: 0 or an APG_E* code */
    uint32_t lip, rip;
    uint32_t iss, irs;
    uint32_t snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_sndwnd;
    uint32_t snd_buf_seq;  /* sequence number of the send ring's first byte */
    uint32_t rcv_nxt, rcv_adv; /* rcv_adv: right edge of the window we advertised */
    uint32_t last_ack_sent;
    uint32_t fin_seq_rcvd; /* sequence number of an out-of-order FIN */
    uint32_t cwnd, ssthresh, recover, rexmit_hi;
    uint32_t ts_recent, ts_recent_at, ts_off;
    uint32_t srtt8, rttvar4, rto; /* RFC 6298: SRTT * 8, RTTVAR * 4, RTO in ms */
    uint32_t rtt_seq, rtt_start;
    uint32_t una_rexmit_at; /* ms when the segment at snd_una was last resent */
    uint32_t born;         /* ms when the slot was taken (recycling order) */
    uint32_t keep_idle;    /* keepalive idle time in ms (0 = off) */
    uint64_t t_rexmt;      /* retransmit or persist deadline, 0 = off */
    uint64_t t_delack;
    uint64_t t_keep;       /* keepalive, FIN_WAIT_2 and TIME_WAIT deadline */
    uint32_t sb_head, sb_len; /* send ring */
    uint32_t rb_head, rb_len; /* receive ring: in-order unread bytes */
    struct tcp_range sack[APOGEE_TCP_SACK_BLOCKS];
    struct tcp_range ooo[APOGEE_TCP_OOO_RANGES];
    uint8_t sndbuf[APOGEE_TCP_SNDBUF];
    uint8_t rcvbuf[APOGEE_TCP_RCVBUF];
};

#define TCP_OWNER_NONE 0   /* orphan: the app closed it; the core frees it */
#define TCP_OWNER_APP 1    /* the app holds its descriptor */
#define TCP_OWNER_QUEUE 2  /* a listener's child, not yet accepted */

struct tcp_stack {
    tcp_output_fn out;
    void *out_ctx;
    uint32_t (*random32)(void *);
    void *rnd_ctx;
    uint32_t local_ip;
    uint32_t isn_key[4];       /* RFC 6528 secret, drawn at init */
    uint64_t now;              /* last time seen */
    uint64_t chal_second;      /* RFC 5961 rate limit window start */
    uint32_t chal_count;
    bool tx_csum_partial;      /* tcp_set_tx_csum_offload */
    struct tcp_counters stats;
    struct tcp_sock socks[APOGEE_TCP_SOCKETS];
    uint8_t tx[60 + APOGEE_TCP_MSS]; /* scratch for the segment being built */
};

/* ---- Stack ------------------------------------------------------------------ */

/* Set up an empty stack. out: emits segments; random32(rnd_ctx): a source of
   unpredictable 32-bit values (ISN key, ephemeral ports, timestamp offsets) - it
   must be a real entropy source on a device. local_ip may be 0 until DHCP is done.
   Never fails. */
void tcp_init(struct tcp_stack *s, tcp_output_fn out, void *ctx,
              uint32_t (*random32)(void *), void *rnd_ctx, uint32_t local_ip);

/* Transmit checksum offload: when on, every segment leaves with the IPv4
   pseudo-header sum in its checksum field instead of the checksum, as a NIC that
   completes TCP checksums expects (virtio-net's NEEDS_CSUM, Linux's
   CHECKSUM_PARTIAL: the hardware sums the segment from the TCP header on, field
   included, and stores the complement). The IP layer turns it on when the
   interface says it completes them; off by default. */
void tcp_set_tx_csum_offload(struct tcp_stack *s, bool on);

/* The IP layer tells the core its address (after DHCP, or a change). Existing
   connections keep the address they were opened with. */
void tcp_set_local_ip(struct tcp_stack *s, uint32_t ip);

/* One received TCP segment (header + data) from src_ip to dst_ip; the checksum is
   not yet verified (the core does it). Malformed or hostile segments are dropped
   and counted in s->stats; this never fails and never reads outside seg[0..len). */
void tcp_input(struct tcp_stack *s, uint32_t src_ip, uint32_t dst_ip,
               const uint8_t *seg, size_t len, uint64_t now_ms);

/* As tcp_input, for a segment whose checksum the network interface has already
   verified (receive checksum offload: a MAC's checksum engine, or the native
   board's TAP, whose frames come from the kernel's memory with the checksum left
   to "the hardware"). Everything else is checked as in tcp_input. */
void tcp_input_csum_ok(struct tcp_stack *s, uint32_t src_ip, uint32_t dst_ip,
                       const uint8_t *seg, size_t len, uint64_t now_ms);

/* Run the timers (retransmission and tail loss probe, delayed ACK, persist,
   keepalive, FIN_WAIT_2 and TIME_WAIT). A connection whose retransmissions,
   zero-window probes or keepalives go unanswered APOGEE_TCP_DATA_RETRIES times
   (APOGEE_TCP_SYN_RETRIES for a SYN, APOGEE_TCP_KEEPCNT for keepalives) is reset
   with APG_ETIMEDOUT.
   It also sends what the turn owes: the ACK due for every second full segment
   received and the window update after tcp_recv. Those are gathered until this
   call so that a burst (a TSO super-frame, several reads) is answered with one
   segment, at the same instant: the main loop calls it once per turn, after the
   driver's frames and the app's calls.
   Returns the ms until it next needs a call (at most 1000; 0 means call again now). */
uint32_t tcp_poll(struct tcp_stack *s, uint64_t now_ms);

/* ---- Sockets (non-blocking) ------------------------------------------------- */

/* The socket calls take no clock: they use the time of the last tcp_input or
   tcp_poll (the main loop calls those every turn). */

/* Listen on port (any local address). backlog (1..APOGEE_TCP_BACKLOG, clamped)
   bounds embryonic plus not-yet-accepted connections. Returns the listener's sd,
   APG_EADDRINUSE if the port has a listener, APG_ENOMEM if the table is full,
   APG_EINVAL for port 0. */
int tcp_listen(struct tcp_stack *s, uint16_t port, int backlog);

/* Take one established connection from a listener: its sd, or APG_EAGAIN if none
   is ready, APG_EINVAL if lsd is not a listener. */
int tcp_accept(struct tcp_stack *s, int lsd);

/* Start an active open to dst_ip:dst_port from an ephemeral port; returns the sd
   at once (state SYN_SENT; wait for TCP_CONNECTED or TCP_ERROR), APG_ENOMEM if the
   table is full, APG_EHOSTUNREACH if the stack has no address yet, APG_EINVAL for
   port 0 or a zero/broadcast/multicast address, APG_EADDRINUSE if no free
   ephemeral port was found. Data may be queued with tcp_send before the handshake
   completes; it leaves once established. */
int tcp_connect(struct tcp_stack *s, uint32_t dst_ip, uint16_t dst_port);

/* Copy up to len bytes into the send ring; returns bytes taken (maybe fewer than
   len), APG_EAGAIN if the ring is full, APG_ECLOSED after tcp_shutdown, the
   connection's error (APG_ECONNRESET, APG_ETIMEDOUT...) or APG_ENOTCONN once it
   has ended. Allowed from SYN_SENT on (queued until established). Data leaves when
   window, congestion and Nagle allow. */
int tcp_send(struct tcp_stack *s, int sd, const void *buf, size_t len);

/* Copy up to len bytes of received data out; returns bytes copied, 0 at end of
   stream (the peer sent FIN and everything was read), APG_EAGAIN if nothing is
   there yet, or the connection's error (APG_ECONNRESET, APG_ETIMEDOUT...). The
   window update that reading may owe leaves from the next tcp_poll. */
int tcp_recv(struct tcp_stack *s, int sd, void *buf, size_t len);

/* Send FIN after the data already queued (half close). APG_ENOTCONN if not
   connected. Receiving continues. */
int tcp_shutdown(struct tcp_stack *s, int sd);

/* Release the descriptor. A connection closes gracefully in the background (FIN,
   TIME_WAIT); if unread data was left, it is reset instead (RFC 9293 3.6.1). A
   listener also resets its not-yet-accepted children. */
int tcp_close(struct tcp_stack *s, int sd);

/* Send RST (if synchronized) and free the socket and descriptor at once. */
int tcp_abort(struct tcp_stack *s, int sd);

/* Readiness bits from tcp_ready. */
#define TCP_READABLE 0x01  /* tcp_recv would not return APG_EAGAIN (data, EOF, error);
                              for a listener: tcp_accept has a connection */
#define TCP_WRITABLE 0x02  /* connected and the send ring has room */
#define TCP_CONNECTED 0x04 /* handshake completed (even if half closed since) */
#define TCP_CLOSED_BIT 0x08 /* the connection ended (state CLOSED or TIME_WAIT) */
#define TCP_ERROR 0x10     /* it ended by an error: tcp_error tells which */
#define TCP_PEER_FIN 0x20  /* the peer closed its side */

/* Readiness of sd as TCP_* bits, or a negative APG_EINVAL for a bad sd. */
int tcp_ready(const struct tcp_stack *s, int sd);

/* The error that ended the connection (0 if none). */
int tcp_error(const struct tcp_stack *s, int sd);

/* Current enum tcp_state of sd, or APG_EINVAL. */
int tcp_state(const struct tcp_stack *s, int sd);

/* Disable (on=true) Nagle's algorithm on sd. */
int tcp_nodelay(struct tcp_stack *s, int sd, bool on);

/* Turn keepalive on (idle_ms > 0: first probe after idle_ms of silence, then every
   APOGEE_TCP_KEEPINTVL_MS, APOGEE_TCP_KEEPCNT probes) or off (idle_ms == 0). */
int tcp_keepalive(struct tcp_stack *s, int sd, uint32_t idle_ms);

/* Bytes the send ring can take now (0 if not connected). */
size_t tcp_send_space(const struct tcp_stack *s, int sd);

/* Free slots in the socket table (pools-back-to-full checks). */
int tcp_free_slots(const struct tcp_stack *s);

#endif /* APOGEE_TCP_H */
