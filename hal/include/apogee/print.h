/*
 * apogee/print.h - formatted console output without a C library printf.
 *
 * picolibc's printf pulls several KiB into every image; this one is a few hundred
 * bytes and understands what firmware prints: %s %c %d %i %u %x %X %p %%, with
 * an optional 'l' or 'll' length, '0' padding and a field width (e.g. %08x).
 * Output goes to hal_console_write(). Returns the number of bytes written.
 */
#ifndef APOGEE_PRINT_H
#define APOGEE_PRINT_H

#include <stdarg.h>

int apg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int apg_vprintf(const char *fmt, va_list ap);

#endif /* APOGEE_PRINT_H */
