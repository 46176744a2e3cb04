/*
 * tcp_seq.h - sequence-number arithmetic modulo 2^32 (RFC 9293 3.4).
 *
 * Comparisons are only meaningful between numbers less than 2^31 apart, which the
 * window limits (at most 2^30 with window scaling) guarantee.
 */
#ifndef APOGEE_TCP_SEQ_H
#define APOGEE_TCP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool tcp_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool tcp_seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool tcp_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool tcp_seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
/* lo <= x < hi, in sequence space */
static inline bool tcp_seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
    return x - lo < hi - lo;
}
static inline uint32_t tcp_seq_max(uint32_t a, uint32_t b) { return tcp_seq_gt(a, b) ? a : b; }
static inline uint32_t tcp_seq_min(uint32_t a, uint32_t b) { return tcp_seq_lt(a, b) ? a : b; }

#endif /* APOGEE_TCP_SEQ_H */
