/*
 * tls_codec.h - bounds-checked reading and writing of TLS's big-endian fields
 * and length-prefixed vectors.
 *
 * A tls_rd is a window (p, n) over input. Every read checks the window first and
 * fails (returns 0) without moving when the bytes are not there, so a parser
 * written as a chain of reads cannot run past its input: the only way to look at
 * input is through these functions. Vectors come out as sub-windows.
 *
 * A tls_wr appends into (p, cap); an append that does not fit sets err and
 * writes nothing, and every later append is then a no-op: the caller checks err
 * once at the end.
 */
#ifndef TLS_CODEC_H
#define TLS_CODEC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const uint8_t *p;
    size_t n;
} tls_rd;

static inline bool tls_rd_u8(tls_rd *r, uint32_t *v)
{
    if (r->n < 1)
        return false;
    *v = r->p[0];
    r->p++;
    r->n--;
    return true;
}

static inline bool tls_rd_u16(tls_rd *r, uint32_t *v)
{
    if (r->n < 2)
        return false;
    *v = (uint32_t)r->p[0] << 8 | r->p[1];
    r->p += 2;
    r->n -= 2;
    return true;
}

static inline bool tls_rd_u24(tls_rd *r, uint32_t *v)
{
    if (r->n < 3)
        return false;
    *v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
    r->p += 3;
    r->n -= 3;
    return true;
}

static inline bool tls_rd_u32(tls_rd *r, uint32_t *v)
{
    uint32_t hi, lo;
    if (r->n < 4)
        return false;
    (void)tls_rd_u16(r, &hi);
    (void)tls_rd_u16(r, &lo);
    *v = hi << 16 | lo;
    return true;
}

/* Take the next len bytes as a sub-window. */
static inline bool tls_rd_take(tls_rd *r, size_t len, tls_rd *sub)
{
    if (r->n < len)
        return false;
    sub->p = r->p;
    sub->n = len;
    r->p += len;
    r->n -= len;
    return true;
}

/* A vector with a 1-, 2- or 3-byte length prefix (lenbytes) whose length lies
 * in [min, max]. */
static inline bool tls_rd_vec(tls_rd *r, unsigned lenbytes, size_t min, size_t max, tls_rd *sub)
{
    uint32_t len;
    tls_rd save = *r;
    bool ok = lenbytes == 1 ? tls_rd_u8(r, &len)
              : lenbytes == 2 ? tls_rd_u16(r, &len)
                              : tls_rd_u24(r, &len);
    if (!ok || len < min || len > max || !tls_rd_take(r, len, sub)) {
        *r = save;
        return false;
    }
    return true;
}

typedef struct {
    uint8_t *p;
    size_t cap, len;
    bool err;
} tls_wr;

static inline uint8_t *tls_wr_reserve(tls_wr *w, size_t n)
{
    if (w->err || w->cap - w->len < n) {
        w->err = true;
        return NULL;
    }
    uint8_t *at = w->p + w->len;
    w->len += n;
    return at;
}

static inline void tls_wr_u8(tls_wr *w, uint32_t v)
{
    uint8_t *d = tls_wr_reserve(w, 1);
    if (d)
        d[0] = (uint8_t)v;
}

static inline void tls_wr_u16(tls_wr *w, uint32_t v)
{
    uint8_t *d = tls_wr_reserve(w, 2);
    if (d) {
        d[0] = (uint8_t)(v >> 8);
        d[1] = (uint8_t)v;
    }
}

static inline void tls_wr_u24(tls_wr *w, uint32_t v)
{
    uint8_t *d = tls_wr_reserve(w, 3);
    if (d) {
        d[0] = (uint8_t)(v >> 16);
        d[1] = (uint8_t)(v >> 8);
        d[2] = (uint8_t)v;
    }
}

static inline void tls_wr_bytes(tls_wr *w, const void *src, size_t n)
{
    uint8_t *d = tls_wr_reserve(w, n);
    if (d && n)
        memcpy(d, src, n);
}

/* Length prefixes written before their content: open() reserves lenbytes and
 * returns the mark; close() fills in the length of what was written since. */
static inline size_t tls_wr_open(tls_wr *w, unsigned lenbytes)
{
    size_t mark = w->len;
    (void)tls_wr_reserve(w, lenbytes);
    return mark;
}

static inline void tls_wr_close(tls_wr *w, size_t mark, unsigned lenbytes)
{
    if (w->err)
        return;
    size_t len = w->len - mark - lenbytes;
    for (unsigned i = 0; i < lenbytes; i++)
        w->p[mark + i] = (uint8_t)(len >> (8 * (lenbytes - 1 - i)));
}

#endif /* TLS_CODEC_H */
