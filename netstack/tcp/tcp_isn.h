/*
 * tcp_isn.h - initial sequence numbers per RFC 6528:
 *   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 * with M a 4 microsecond timer (derived from the ms clock) and F SipHash-2-4
 * under a 128-bit key drawn once at init.
 */
#ifndef APOGEE_TCP_ISN_H
#define APOGEE_TCP_ISN_H

#include <stdint.h>

/* SipHash-2-4 of the 12-byte 4-tuple under key[4]; the low 32 bits. Also used,
   with another tweak, for per-connection timestamp offsets. */
uint32_t tcp_siphash(const uint32_t key[4], uint32_t lip, uint32_t rip, uint32_t ports,
                     uint32_t tweak);

uint32_t tcp_isn(const uint32_t key[4], uint32_t lip, uint16_t lport, uint32_t rip,
                 uint16_t rport, uint64_t now_ms);

#endif /* APOGEE_TCP_ISN_H */
