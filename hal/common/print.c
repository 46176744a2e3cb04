#include "apogee/print.h"

#include <stdint.h>
#include <string.h>

#include "apogee/hal.h"

/* Output is gathered in a small buffer so the UART driver sees runs of bytes,
 * not one call per character. */
struct out {
    char buf[32];
    unsigned fill;
    int total;
};

static void flush(struct out *o)
{
    if (o->fill) {
        hal_console_write(o->buf, o->fill);
        o->total += (int)o->fill;
        o->fill = 0;
    }
}

static void put(struct out *o, char c)
{
    if (o->fill == sizeof o->buf) {
        flush(o);
    }
    o->buf[o->fill++] = c;
}

/* Divide *v by base (2..16) in place and return the remainder, with 32-bit
 * divisions only: a 64-bit division would pull ~700 bytes of libgcc into every
 * image that prints a number. Long division in 16-bit digits keeps every partial
 * dividend below 2^20. */
static unsigned divmod64(uint64_t *v, unsigned base)
{
    uint64_t q = 0;
    uint32_t r = 0;
    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t cur = (r << 16) | (uint32_t)((*v >> shift) & 0xFFFFu);
        q |= (uint64_t)(cur / base) << shift;
        r = cur % base;
    }
    *v = q;
    return r;
}

static void put_number(struct out *o, uint64_t v, unsigned base, bool upper, bool negative,
                       unsigned width, char pad)
{
    char digits[24];
    unsigned n = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[n++] = set[divmod64(&v, base)];
    } while (v != 0);
    if (negative) {
        if (pad == '0') {
            put(o, '-');
        } else {
            digits[n++] = '-';
        }
        width = width ? width - 1 : 0;
    }
    for (unsigned i = n; i < width; i++) {
        put(o, pad);
    }
    while (n) {
        put(o, digits[--n]);
    }
}

int apg_vprintf(const char *fmt, va_list ap)
{
    struct out o = {.fill = 0, .total = 0};
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        unsigned width = 0, longs = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (unsigned)(*fmt++ - '0');
        }
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long)
                                                                    : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&o, mag, 10, false, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long)
                         : longs    ? va_arg(ap, unsigned long)
                                    : va_arg(ap, unsigned);
            put_number(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, width, pad);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false, false, 0, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)";
            size_t len = strlen(s);
            for (size_t i = len; i < width; i++) {
                put(&o, ' ');
            }
            while (*s) {
                put(&o, *s++);
            }
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--; /* a lone '%' at the end: print nothing more */
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    flush(&o);
    return o.total;
}

int apg_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = apg_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
