/*
 * tcp_priv.h - what the TCP core's files share; not for callers.
 */
#ifndef APOGEE_TCP_PRIV_H
#define APOGEE_TCP_PRIV_H

#include "tcp.h"
#include "tcp_opt.h"
#include "tcp_seq.h"

/* Header flag bits. */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

/* tcp_sock.flags */
#define TCP_F_ACKNOW 0x0001    /* send an ACK at the next tcp_output */
#define TCP_F_NODELAY 0x0002   /* Nagle off */
#define TCP_F_FIN_Q 0x0004     /* the app shut down: FIN follows the queued data */
#define TCP_F_SACK 0x0008      /* SACK permitted both ways */
#define TCP_F_TS 0x0010        /* timestamps negotiated */
#define TCP_F_WS 0x0020        /* window scaling negotiated */
#define TCP_F_OOO_FIN 0x0040   /* a FIN arrived ahead of missing data */
#define TCP_F_RECOVERY 0x0080  /* in NewReno fast recovery */
#define TCP_F_PERSIST 0x0100   /* t_rexmt is the persist (zero window) timer */
#define TCP_F_RCVD_FIN 0x0200  /* the peer's FIN was received in order */
#define TCP_F_RTT 0x0400       /* a segment is being timed (rtt_seq, rtt_start) */
#define TCP_F_CONNECTED 0x0800 /* reached ESTABLISHED once */
#define TCP_F_PASSIVE 0x1000   /* opened by a listener */
#define TCP_F_TLP 0x2000       /* t_rexmt is a tail loss probe timeout (RFC 8985 7) */
#define TCP_F_TLP_DONE 0x4000  /* a probe went out; no other until new data is ACKed */

/* tcp_sock.pending: what the current main-loop turn owes the peer, sent by the
   turn's tcp_poll so that a burst of input or of reads is answered by one
   segment, at the same instant. */
#define TCP_P_ACK 0x01    /* an ACK or window update is owed */

#define TCP_MIN_MSS 64 /* a peer's MSS option below this is raised to it */

static inline uint32_t tcp_now32(const struct tcp_stack *s) { return (uint32_t)s->now; }

/* The send MSS minus the options every segment carries. */
static inline uint32_t tcp_data_mss(const struct tcp_sock *sk)
{
    return (uint32_t)sk->mss - ((sk->flags & TCP_F_TS) ? 12u : 0u);
}

static inline bool tcp_synchronized(uint8_t st)
{
    return st >= TCP_ESTABLISHED;
}

/* tcp_out.c */
/* Build and emit one segment of sk; data from the send ring at seq. Returns the
   data bytes sent: fewer than len when the options leave less room (RFC 6691). */
uint32_t tcp_xmit(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq, uint32_t len,
                  uint8_t flags);
void tcp_output(struct tcp_stack *s, struct tcp_sock *sk);
void tcp_send_ack_now(struct tcp_stack *s, struct tcp_sock *sk);
void tcp_challenge_ack(struct tcp_stack *s, struct tcp_sock *sk);
void tcp_send_rst(struct tcp_stack *s, uint32_t lip, uint32_t rip, uint16_t lport,
                  uint16_t rport, uint32_t seq, uint32_t ack, uint8_t flags);
void tcp_rexmit_one(struct tcp_stack *s, struct tcp_sock *sk, uint32_t seq, uint32_t max);
uint32_t tcp_window_room(const struct tcp_sock *sk);

/* tcp_api.c */
struct tcp_sock *tcp_alloc(struct tcp_stack *s);
void tcp_free(struct tcp_sock *sk);
void tcp_closed(struct tcp_stack *s, struct tcp_sock *sk, int err);
void tcp_init_sock(struct tcp_stack *s, struct tcp_sock *sk, uint32_t lip, uint16_t lport,
                   uint32_t rip, uint16_t rport);
void tcp_rst_conn(struct tcp_stack *s, struct tcp_sock *sk);
void tcp_enter_time_wait(struct tcp_stack *s, struct tcp_sock *sk);
void tcp_arm_rexmt(struct tcp_stack *s, struct tcp_sock *sk);

#endif /* APOGEE_TCP_PRIV_H */
