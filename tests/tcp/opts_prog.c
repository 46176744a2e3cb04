/*
 * opts_prog.c - test-only: run tcp_opts_parse over records read from stdin
 * (2-byte big-endian length, then the bytes) and print one line per record:
 * "rc present mss ws tsval tsecr nsack l0 r0 l1 r1 ...". Built with ASan/UBSan;
 * each record is copied into an exactly-sized heap block so any overread trips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_opt.h"

int main(void)
{
    unsigned char hdr[2];
    while (fread(hdr, 1, 2, stdin) == 2) {
        size_t n = (size_t)hdr[0] << 8 | hdr[1];
        unsigned char *p = malloc(n ? n : 1);
        if (!p || fread(p, 1, n, stdin) != n)
            return 1;
        struct tcp_opts o;
        int rc = tcp_opts_parse(p, n, &o);
        printf("%d %u %u %u %u %u %u", rc, o.present, o.mss, o.ws, o.tsval, o.tsecr, o.nsack);
        for (unsigned i = 0; i < o.nsack; i++)
            printf(" %u %u", o.sack[i][0], o.sack[i][1]);
        printf("\n");
        free(p);
    }
    return 0;
}
