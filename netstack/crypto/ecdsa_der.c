#include "ecdsa_der.h"

#include <string.h>

#include "apogee/err.h"

/* Length of the DER INTEGER content for an unsigned big-endian value: leading
 * zeros dropped, one 0x00 added back when the top bit would read as a sign. */
static size_t int_len(const uint8_t *v, size_t n, size_t *skip)
{
    size_t i = 0;
    while (i < n - 1 && v[i] == 0) {
        i++;
    }
    *skip = i;
    return (n - i) + ((v[i] & 0x80) ? 1u : 0u);
}

static uint8_t *put_int(uint8_t *p, const uint8_t *v, size_t n)
{
    size_t skip;
    size_t len = int_len(v, n, &skip);
    *p++ = 0x02;
    *p++ = (uint8_t)len;
    if (len > n - skip) {
        *p++ = 0x00;
    }
    memcpy(p, v + skip, n - skip);
    return p + (n - skip);
}

int crypto_ecdsa_sig_to_der(uint8_t *out, size_t out_cap, const uint8_t *raw, size_t scalar_len)
{
    if (scalar_len == 0 || scalar_len > 64) {
        return APG_EINVAL;
    }
    size_t skip;
    size_t body = 2 + int_len(raw, scalar_len, &skip) + 2 +
                  int_len(raw + scalar_len, scalar_len, &skip);
    /* Up to 2 * (2 + 65) = 134 bytes: long form with one length byte past 127. */
    size_t hdr = body < 128 ? 2 : 3;
    if (out_cap < hdr + body) {
        return APG_EMSGSIZE;
    }
    uint8_t *p = out;
    *p++ = 0x30;
    if (hdr == 3) {
        *p++ = 0x81;
    }
    *p++ = (uint8_t)body;
    p = put_int(p, raw, scalar_len);
    p = put_int(p, raw + scalar_len, scalar_len);
    return (int)(p - out);
}

/* Read a definite DER length at der[*pos]; minimal encodings only. */
static int get_len(const uint8_t *der, size_t len, size_t *pos, size_t *out)
{
    if (*pos >= len) {
        return -1;
    }
    uint8_t b = der[(*pos)++];
    if (b < 0x80) {
        *out = b;
        return 0;
    }
    if (b != 0x81 || *pos >= len) {
        return -1; /* indefinite, or more than one length byte: too long anyway */
    }
    b = der[(*pos)++];
    if (b < 0x80) {
        return -1; /* fits the short form: not minimal */
    }
    *out = b;
    return 0;
}

static int get_int(uint8_t *dst, size_t n, const uint8_t *der, size_t len, size_t *pos)
{
    size_t ilen;
    if (*pos >= len || der[(*pos)++] != 0x02 || get_len(der, len, pos, &ilen) != 0 ||
        ilen == 0 || ilen > len - *pos) {
        return -1;
    }
    const uint8_t *v = der + *pos;
    *pos += ilen;
    if (v[0] & 0x80) {
        return -1; /* negative */
    }
    if (ilen > 1 && v[0] == 0x00 && !(v[1] & 0x80)) {
        return -1; /* superfluous leading zero */
    }
    if (v[0] == 0x00 && ilen > 1) {
        v++;
        ilen--;
    }
    if (ilen > n) {
        return -1;
    }
    memset(dst, 0, n - ilen);
    memcpy(dst + n - ilen, v, ilen);
    return 0;
}

int crypto_ecdsa_sig_from_der(uint8_t *raw, size_t scalar_len, const uint8_t *der, size_t len)
{
    size_t pos = 0, body;
    if (scalar_len == 0 || scalar_len > 64 || len < 2 || der[pos++] != 0x30 ||
        get_len(der, len, &pos, &body) != 0 || body != len - pos ||
        get_int(raw, scalar_len, der, len, &pos) != 0 ||
        get_int(raw + scalar_len, scalar_len, der, len, &pos) != 0 || pos != len) {
        memset(raw, 0, scalar_len <= 64 ? 2 * scalar_len : 0);
        return APG_EBADMSG;
    }
    return APG_OK;
}
