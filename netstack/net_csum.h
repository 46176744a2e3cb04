/*
 * net_csum.h - the Internet checksum (RFC 1071) used by IPv4, ICMP, UDP and TCP.
 *
 * A checksum is built from partial sums: start from 0 (or a pseudo-header sum),
 * add each piece with net_csum_add, and finish with net_csum_fold. Pieces are
 * summed as big-endian 16-bit words, so every piece but the last must have an even
 * length (headers and pseudo-headers always do). Verifying: the folded sum over a
 * region that includes its own checksum field is 0 when the checksum is right.
 */
#ifndef NET_CSUM_H
#define NET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes at data to the running sum; returns the new running sum (kept
 * below 2^17, so any number of calls can be chained). An odd final byte counts as
 * the high byte of a word padded with zero. */
uint32_t net_csum_add(uint32_t sum, const void *data, size_t len);

/* The ones' complement of the folded 16-bit sum: the value to store in a header. */
uint16_t net_csum_fold(uint32_t sum);

/* Sum of the IPv4 pseudo-header for UDP and TCP (addresses host order). */
uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif /* NET_CSUM_H */
