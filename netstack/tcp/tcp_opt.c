/* tcp_opt.c - option parsing and checksum; see tcp_opt.h. */
#include "tcp_opt.h"

#include <string.h>

#include "apogee/err.h"
#include "apogee/inet_sum.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int tcp_opts_parse(const uint8_t *p, size_t n, struct tcp_opts *o)
{
    size_t i = 0;
    memset(o, 0, sizeof *o);
    while (i < n) {
        uint8_t kind = p[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n)
            return APG_EBADMSG;
        size_t len = p[i + 1];
        if (len < 2 || len > n - i)
            return APG_EBADMSG;
        const uint8_t *v = p + i + 2;
        switch (kind) {
        case 2:
            if (len == 4) {
                o->present |= TCP_OPT_MSS;
                o->mss = (uint16_t)(v[0] << 8 | v[1]);
            }
            break;
        case 3:
            if (len == 3) {
                o->present |= TCP_OPT_WS;
                o->ws = v[0] > 14 ? 14 : v[0];
            }
            break;
        case 4:
            if (len == 2)
                o->present |= TCP_OPT_SACK_OK;
            break;
        case 5:
            if (len >= 10 && (len - 2) % 8 == 0) {
                size_t k = (len - 2) / 8;
                o->present |= TCP_OPT_SACK;
                o->nsack = 0;
                for (size_t j = 0; j < k && j < 4; j++) {
                    o->sack[j][0] = rd32(v + 8 * j);
                    o->sack[j][1] = rd32(v + 8 * j + 4);
                    o->nsack++;
                }
            }
            break;
        case 8:
            if (len == 10) {
                o->present |= TCP_OPT_TS;
                o->tsval = rd32(v);
                o->tsecr = rd32(v + 4);
            }
            break;
        default:
            break;
        }
        i += len;
    }
    return 0;
}

uint16_t tcp_checksum_partial(uint32_t src, uint32_t dst, size_t len)
{
    return (uint16_t)apg_inet_pseudo(src, dst, 6, (uint16_t)len);
}

uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    uint32_t sum = tcp_checksum_partial(src, dst, len);
    return (uint16_t)~apg_inet_fold17(apg_inet_sum(sum, seg, len));
}
