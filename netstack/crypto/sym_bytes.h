/*
 * sym_bytes.h - private to the symmetric primitives: little- and big-endian
 * word loads and stores from byte buffers of any alignment.
 *
 * On little-endian targets the LE forms are a memcpy of 4 bytes, which the
 * compiler turns into one load/store where the core allows unaligned access
 * (Cortex-M3/M4/M7, x86, AArch64) and into byte accesses where it does not
 * (RV32, Cortex-M0). gcc does not merge the byte-shift form into one access
 * at -Os, and these sit in the inner loops of ChaCha20, Poly1305 and GCM.
 */
#ifndef CRYPTO_SYM_BYTES_H
#define CRYPTO_SYM_BYTES_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CRYPTO_SYM_LE 1
#else
#define CRYPTO_SYM_LE 0
#endif

static inline uint32_t sym_load_le32(const uint8_t *p)
{
#if CRYPTO_SYM_LE
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
#endif
}

static inline void sym_store_le32(uint8_t *p, uint32_t v)
{
#if CRYPTO_SYM_LE
    memcpy(p, &v, 4);
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
#endif
}

static inline uint32_t sym_load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void sym_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif /* CRYPTO_SYM_BYTES_H */
