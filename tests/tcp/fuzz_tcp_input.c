/*
 * fuzz_tcp_input.c - libFuzzer harness of the TCP receive path.
 *
 * The input is a script of chunks: [op][len][len bytes]. Segments get a valid
 * checksum (or not, op bit 0x80) so they reach the state machine; op bits may
 * also steer the ports and rebase SEQ/ACK on the target connection's current
 * numbers, so the fuzzer reaches the synchronized states without guessing ISNs.
 * Between chunks time advances and the app side calls the socket API. At the end
 * every descriptor is closed, time runs far ahead, and every slot must be free:
 * nothing may leak, whatever the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp.h"
#include "tcp_opt.h"

#define PEER 0x0A000001u
#define SELF 0x0A000002u

static struct tcp_stack st;
static uint64_t now;
static uint32_t rs;

static int out(void *c, uint32_t s, uint32_t d, const uint8_t *seg, size_t len)
{
    (void)c;
    (void)s;
    (void)d;
    /* what the core emits must itself be a well-formed segment */
    if (len < 20 || tcp_checksum(s, d, seg, len) != 0 || (size_t)(seg[12] >> 4) * 4 > len)
        abort();
    return 0;
}

static uint32_t rnd(void *c)
{
    (void)c;
    rs = rs * 1103515245u + 12345u;
    return rs;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t seg[2048];
    uint8_t buf[512];
    int app[APOGEE_TCP_SOCKETS];
    int napp = 0;
    rs = 1;
    now = 1000;
    tcp_init(&st, out, NULL, rnd, NULL, SELF);
    int lsd = tcp_listen(&st, 80, 2);
    int csd = tcp_connect(&st, PEER, 7);
    if (lsd < 0 || csd < 0)
        abort();
    app[napp++] = csd;
    size_t i = 0;
    while (i + 3 <= size) {
        uint8_t op = data[i];
        size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = size - i;
        if (len > sizeof seg)
            len = sizeof seg;
        memcpy(seg, data + i, len);
        i += len;
        switch (op & 3) {
        case 0: { /* a segment from the peer */
            if (len >= 20) {
                const struct tcp_sock *t = &st.socks[(op >> 2) % APOGEE_TCP_SOCKETS];
                if (op & 0x10) { /* aim at an existing connection */
                    seg[0] = (uint8_t)(t->rport >> 8);
                    seg[1] = (uint8_t)t->rport;
                    seg[2] = (uint8_t)(t->lport >> 8);
                    seg[3] = (uint8_t)t->lport;
                }
                if (op & 0x20) { /* SEQ/ACK relative to that connection */
                    uint32_t ds = (uint32_t)(int8_t)seg[4] * ((seg[5] & 1) ? 64u : 1u);
                    uint32_t da = (uint32_t)(int8_t)seg[8] * ((seg[9] & 1) ? 64u : 1u);
                    put32(seg + 4, t->rcv_nxt + ds);
                    put32(seg + 8, t->snd_una + da);
                }
                if (op & 0x40)
                    seg[12] = (uint8_t)((seg[12] & 0xf0) ? seg[12] : 0x50);
                seg[16] = seg[17] = 0;
                uint16_t c = tcp_checksum(PEER, SELF, seg, len);
                if (!(op & 0x80)) {
                    seg[16] = (uint8_t)(c >> 8);
                    seg[17] = (uint8_t)c;
                }
            }
            tcp_input(&st, PEER, SELF, seg, len, now);
            break;
        }
        case 1: /* time passes */
            now += len ? (uint64_t)seg[0] * 8u : 1u;
            tcp_poll(&st, now);
            break;
        case 2: { /* the app */
            int sd;
            while ((sd = tcp_accept(&st, lsd)) >= 0 && napp < APOGEE_TCP_SOCKETS)
                app[napp++] = sd;
            for (int k = 0; k < napp; k++) {
                int r = tcp_recv(&st, app[k], buf, sizeof buf);
                (void)r;
                if (len > 0 && (seg[0] & 1))
                    tcp_send(&st, app[k], seg, len);
                if (len > 1 && (seg[1] & 7) == 1)
                    tcp_shutdown(&st, app[k]);
                if (len > 1 && (seg[1] & 7) == 2 && tcp_ready(&st, app[k]) >= 0) {
                    tcp_close(&st, app[k]);
                    app[k--] = app[--napp];
                }
            }
            break;
        }
        default:
            if (len > 0 && napp > 0)
                tcp_keepalive(&st, app[seg[0] % napp], (uint32_t)seg[0] * 10u);
            break;
        }
    }
    /* the load stops: close everything, let time run out, nothing may be left */
    int sd;
    while ((sd = tcp_accept(&st, lsd)) >= 0)
        tcp_close(&st, sd);
    for (int k = 0; k < napp; k++)
        tcp_close(&st, app[k]);
    tcp_close(&st, lsd);
    for (int k = 0; k < 400; k++) {
        now += 1000;
        tcp_poll(&st, now);
    }
    if (tcp_free_slots(&st) != APOGEE_TCP_SOCKETS)
        abort();
    return 0;
}
