/*
 * net_bytes.h - big-endian loads and stores for packet headers.
 *
 * Headers on the wire are big-endian and may sit at any alignment inside a frame,
 * so fields are read and written a byte at a time; the compiler merges these into
 * word accesses where the target allows unaligned ones.
 */
#ifndef NET_BYTES_H
#define NET_BYTES_H

#include <stdint.h>

static inline uint16_t net_rd16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t net_rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void net_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void net_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif /* NET_BYTES_H */
