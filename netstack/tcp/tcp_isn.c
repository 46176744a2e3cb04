/* tcp_isn.c - SipHash-2-4 (Aumasson, Bernstein) and RFC 6528 ISNs. */
#include "tcp_isn.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sipround(uint64_t v[4])
{
    v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
    v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

/* SipHash-2-4 over two 64-bit little-endian words m0, m1 (a 16-byte message). */
static uint64_t siphash16(const uint32_t key[4], uint64_t m0, uint64_t m1)
{
    uint64_t k0 = (uint64_t)key[1] << 32 | key[0];
    uint64_t k1 = (uint64_t)key[3] << 32 | key[2];
    uint64_t v[4] = {k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
                     k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull};
    uint64_t m[3] = {m0, m1, (uint64_t)16 << 56};
    for (int i = 0; i < 3; i++) {
        v[3] ^= m[i];
        sipround(v);
        sipround(v);
        v[0] ^= m[i];
    }
    v[2] ^= 0xff;
    for (int i = 0; i < 4; i++)
        sipround(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint32_t tcp_siphash(const uint32_t key[4], uint32_t lip, uint32_t rip, uint32_t ports,
                     uint32_t tweak)
{
    return (uint32_t)siphash16(key, (uint64_t)rip << 32 | lip, (uint64_t)tweak << 32 | ports);
}

uint32_t tcp_isn(const uint32_t key[4], uint32_t lip, uint16_t lport, uint32_t rip,
                 uint16_t rport, uint64_t now_ms)
{
    uint32_t ports = (uint32_t)lport << 16 | rport;
    return tcp_siphash(key, lip, rip, ports, 0) + (uint32_t)(now_ms * 250u);
}
