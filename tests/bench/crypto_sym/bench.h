#ifndef BENCH_H
#define BENCH_H
void bench_puts(const char *s);
void bench_exit(int code);
#endif
