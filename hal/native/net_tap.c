/*
 * The native board's TAP backend (see net_tap.h). Linux-only by nature.
 */
#define _GNU_SOURCE
#include "net_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "apogee/err.h"
#include "apogee/hal.h"
#include "net_csum.h"

#define HOLD_MS 20
#define VNET_HDR_LEN 10 /* struct virtio_net_hdr, the TAP's default header size */

uint32_t net_random32(void *ctx)
{
    (void)ctx;
    uint32_t v;
    while (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v)) {
    }
    return v;
}

const char *native_option(const char *name)
{
    static char cmdline[4096];
    static size_t cmdlen;
    static int loaded;
    if (!loaded) {
        loaded = 1;
        FILE *f = fopen("/proc/self/cmdline", "rb");
        if (f != NULL) {
            cmdlen = fread(cmdline, 1, sizeof(cmdline) - 1, f);
            fclose(f);
        }
    }
    size_t n = strlen(name);
    for (size_t i = 0; i < cmdlen; i += strlen(cmdline + i) + 1) {
        const char *a = cmdline + i;
        if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, n) == 0 && a[2 + n] == '=') {
            return a + 3 + n;
        }
    }
    char env[64] = "APOGEE_";
    for (size_t i = 0; i < n && i + 8 < sizeof(env); i++) {
        env[7 + i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    }
    return getenv(env);
}

/* xorshift64*: small, seedable, good enough to pick frames. */
static uint32_t rng_next(struct net_tap *t)
{
    t->rng ^= t->rng >> 12;
    t->rng ^= t->rng << 25;
    t->rng ^= t->rng >> 27;
    return (uint32_t)((t->rng * 2685821657736338717ull) >> 32);
}

static int chance(struct net_tap *t, uint32_t per_million)
{
    return per_million != 0 && rng_next(t) % 1000000u < per_million;
}

static void parse_impair(struct net_tap *t, const char *spec)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", spec);
    t->rng = 1;
    t->dirs = 3;
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (eq == NULL) {
            continue;
        }
        *eq = 0;
        const char *v = eq + 1;
        uint32_t pm = (uint32_t)(strtod(v, NULL) * 10000.0);
        if (strcmp(tok, "seed") == 0) {
            t->rng = strtoull(v, NULL, 0) * 0x9E3779B97F4A7C15ull | 1u;
        } else if (strcmp(tok, "drop") == 0) {
            t->drop = pm;
        } else if (strcmp(tok, "dup") == 0) {
            t->dup = pm;
        } else if (strcmp(tok, "reorder") == 0) {
            t->reorder = pm;
        } else if (strcmp(tok, "corrupt") == 0) {
            t->corrupt = pm;
        } else if (strcmp(tok, "dir") == 0) {
            t->dirs = strcmp(v, "rx") == 0 ? 1 : strcmp(v, "tx") == 0 ? 2 : 3;
        }
    }
}

/* Where the TCP header of an Ethernet + IPv4 frame starts (the virtio-net
 * csum_start of a partial checksum); the caller checked len >= 14 + 20. */
static size_t tcp_start(const uint8_t *f)
{
    return 14 + (size_t)(f[14] & 15) * 4;
}

/* One frame onto the TAP, behind a virtio-net header when offloads are on: empty,
 * or, for a TCP segment whose checksum the stack left partial, the request that
 * Linux complete it (csum_start: the TCP header; csum_offset: its checksum field). */
static void tap_write(struct net_tap *t, const uint8_t *f, size_t len, int tcp_partial)
{
    uint8_t vnet_hdr[VNET_HDR_LEN] = {0};
    if (tcp_partial && len >= 14 + 20) {
        size_t start = tcp_start(f);
        vnet_hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        vnet_hdr[6] = (uint8_t)start;
        vnet_hdr[7] = (uint8_t)(start >> 8);
        vnet_hdr[8] = 16;
    }
    struct iovec iov[2] = {{vnet_hdr, VNET_HDR_LEN}, {(void *)f, len}};
    ssize_t n = t->vnet ? writev(t->fd, iov, 2) : write(t->fd, f, len);
    if (n < 0 && errno != EAGAIN) {
        t->s->cnt.tx_err++;
    }
}

/* Deliver one frame in direction d (1 rx into the stack, 2 tx onto the TAP). */
static void deliver(struct net_tap *t, int d, const uint8_t *f, size_t len, uint64_t now)
{
    if (d == 2) {
        tap_write(t, f, len, 0);
        return;
    }
    struct net_pbuf *p = net_rx_buffer(t->s);
    if (p == NULL) {
        return; /* counted by the pool */
    }
    memcpy(net_pbuf_put(p, len), f, len);
    net_input(t->s, p, now);
}

/* Send a frame through the impairments of direction d. */
static void pass(struct net_tap *t, int d, uint8_t *f, size_t len, uint64_t now)
{
    struct net_tap_dir *h = d == 1 ? &t->rx : &t->tx;
    if (!(t->dirs & d)) {
        deliver(t, d, f, len, now);
        return;
    }
    if (chance(t, t->drop)) {
        t->n_drop++;
        return;
    }
    if (len > 14 && chance(t, t->corrupt)) {
        /* Past the Ethernet header: the checksums are what must catch it. */
        size_t at = 14 + rng_next(t) % (len - 14);
        f[at] ^= (uint8_t)(1u << (rng_next(t) % 8));
        t->n_corrupt++;
    }
    int copies = chance(t, t->dup) ? 2 : 1;
    t->n_dup += (uint32_t)(copies - 1);
    if (h->held_len == 0 && len <= sizeof(h->held) && chance(t, t->reorder)) {
        memcpy(h->held, f, len);
        h->held_len = (uint16_t)len;
        h->held_since = now;
        t->n_reorder++;
        return;
    }
    for (int i = 0; i < copies; i++) {
        deliver(t, d, f, len, now);
    }
    if (h->held_len != 0) {
        uint16_t n = h->held_len;
        h->held_len = 0;
        deliver(t, d, h->held, n, now);
    }
}

/*
 * Transmit coalescing (offloads on, no impairment on transmit): consecutive
 * full-sized data segments of one TCP connection are joined into one super-frame
 * written with a GSO virtio-net header, as a guest NIC with TSO would hand them
 * to the host; Linux receives it like a GRO'd packet. Each segment's bytes are
 * unchanged; only the framing is shared. Anything else flushes the pending
 * super-frame first, so frames leave in the order the stack sent them.
 */
#define SUPER_MAX 65535

static struct {
    uint8_t buf[VNET_HDR_LEN + 14 + SUPER_MAX];
    size_t hl;        /* Ethernet + IPv4 + TCP header length */
    size_t len;       /* frame length so far (headers + payload) */
    size_t gso_size;  /* payload of the first segment */
    int partial;      /* the first segment's TCP checksum is partial */
    uint32_t next_seq;
    unsigned segs;
} sup;

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void super_flush(struct net_tap *t)
{
    if (sup.segs == 0) {
        return;
    }
    uint8_t *f = sup.buf + VNET_HDR_LEN;
    if (sup.segs == 1) {
        tap_write(t, f, sup.len, sup.partial); /* checksums as the stack made them */
    } else {
        uint8_t *ip = f + 14, *tcp = f + 34;
        size_t iplen = sup.len - 14;
        ip[2] = (uint8_t)(iplen >> 8);
        ip[3] = (uint8_t)iplen;
        ip[10] = ip[11] = 0;
        uint16_t ic = net_csum_fold(net_csum_add(0, ip, 20));
        ip[10] = (uint8_t)(ic >> 8);
        ip[11] = (uint8_t)ic;
        /* Partial checksum: the pseudo-header sum, not complemented; the host
         * completes it per segment (or trusts it, delivering locally). */
        uint16_t ph = (uint16_t)~net_csum_fold(
            net_csum_pseudo(rd32(ip + 12), rd32(ip + 16), 6, (uint16_t)(iplen - 20)));
        tcp[16] = (uint8_t)(ph >> 8);
        tcp[17] = (uint8_t)ph;
        uint8_t *h = sup.buf;
        memset(h, 0, VNET_HDR_LEN);
        h[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        h[1] = VIRTIO_NET_HDR_GSO_TCPV4;
        h[2] = (uint8_t)sup.hl;
        h[3] = (uint8_t)(sup.hl >> 8);
        h[4] = (uint8_t)sup.gso_size;
        h[5] = (uint8_t)(sup.gso_size >> 8);
        h[6] = 34; /* csum_start: the TCP header */
        h[8] = 16; /* csum_offset: its checksum field */
        if (write(t->fd, sup.buf, VNET_HDR_LEN + sup.len) < 0 && errno != EAGAIN) {
            t->s->cnt.tx_err++;
        }
    }
    sup.segs = 0;
}

/* Headers equal but for the fields that differ per segment (IP length, ID and
 * checksum; TCP sequence number, flags (checked by the caller) and checksum). */
static int same_flow(const uint8_t *a, const uint8_t *b, size_t hl)
{
    for (size_t i = 0; i < hl; i++) {
        int skip = i == 16 || i == 17 || i == 18 || i == 19 || i == 24 || i == 25 ||
                   (i >= 38 && i <= 41) || i == 47 || i == 50 || i == 51;
        if (!skip && a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* Returns 1 if the frame was taken into the super-frame. */
static int super_add(struct net_tap *t, const uint8_t *f, size_t len, int partial)
{
    /* IPv4 without options, not a fragment, TCP with payload, ACK (and maybe PSH)
     * only: the segments TSO would have produced. */
    if (len < 54 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || f[23] != 6 ||
        (((f[20] << 8) | f[21]) & 0x3FFF) != 0) {
        return 0;
    }
    size_t thl = (size_t)(f[46] >> 4) * 4, hl = 34 + thl;
    uint8_t flags = f[47];
    size_t iplen = (size_t)(f[16] << 8 | f[17]);
    if (thl < 20 || hl >= len || iplen + 14 != len || (flags & ~0x08) != 0x10) {
        return 0;
    }
    size_t pay = len - hl;
    uint32_t seq = rd32(f + 38);
    uint8_t *cur = sup.buf + VNET_HDR_LEN;
    if (sup.segs != 0 && (sup.hl != hl || !same_flow(cur, f, hl) || seq != sup.next_seq ||
                          pay > sup.gso_size || sup.len + pay > 14 + SUPER_MAX)) {
        super_flush(t);
    }
    if (sup.segs == 0) {
        memcpy(cur, f, len);
        sup.partial = partial;
        sup.hl = hl;
        sup.len = len;
        sup.gso_size = pay;
    } else {
        memcpy(cur + sup.len, f + hl, pay);
        sup.len += pay;
        cur[47] |= flags & 0x08; /* PSH on the last one */
    }
    sup.segs++;
    sup.next_seq = seq + (uint32_t)pay;
    if (pay < sup.gso_size || (flags & 0x08)) {
        super_flush(t); /* a short or pushed segment ends the train */
    }
    return 1;
}

static int tap_transmit(struct net_netif *nif, struct net_pbuf *p)
{
    struct net_tap *t = nif->driver;
    static uint8_t frame[APOGEE_NET_PBUF_SIZE];
    int partial = (p->csum & NET_CSUM_TX_TCP_PARTIAL) != 0;
    if (!(t->dirs & 2)) {
        if (!t->vnet || !super_add(t, net_pbuf_data(p), p->len, partial)) {
            super_flush(t);
            tap_write(t, net_pbuf_data(p), p->len, partial); /* straight from the buffer */
        }
        net_pbuf_free(nif->pool, p);
        return APG_OK;
    }
    size_t len = p->len;
    memcpy(frame, net_pbuf_data(p), len);
    net_pbuf_free(nif->pool, p);
    if (partial && len >= 14 + 20) {
        /* Impairments act on the wire's bytes: complete the checksum first, so a
         * corrupted frame is one Linux can tell is corrupt. */
        size_t start = tcp_start(frame);
        if (start + 18 <= len) {
            uint16_t c = net_csum_fold(net_csum_add(0, frame + start, len - start));
            frame[start + 16] = (uint8_t)(c >> 8);
            frame[start + 17] = (uint8_t)c;
        }
    }
    pass(t, 2, frame, len, t->s->now_ms);
    return APG_OK;
}

/*
 * Offloads. With IFF_VNET_HDR and TUN_F_CSUM | TUN_F_TSO4, Linux hands the TAP
 * whole 64 KiB TCP super-frames and leaves checksums to "the hardware", as it does
 * with a real NIC; this backend is that hardware: it cuts super-frames into
 * MSS-sized frames and completes partial checksums before the stack sees them.
 * The stack itself only ever sees ordinary frames of at most 1514 bytes. It saves
 * Linux ~40 system calls' worth of per-frame work for every 64 KiB sent to us.
 */
static void rx_frame(struct net_tap *t, uint8_t *f, size_t len, uint64_t now)
{
    if (len > APOGEE_NET_PBUF_SIZE) {
        t->s->cnt.eth_drop++; /* larger than any frame we accept */
        return;
    }
    pass(t, 1, f, len, now);
}

static void rx_offloaded(struct net_tap *t, uint8_t *buf, size_t n, uint64_t now)
{
    if (n < VNET_HDR_LEN) {
        return;
    }
    uint8_t flags = buf[0], gso = buf[1] & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN; /* CWR kept as is */
    uint16_t gso_size = (uint16_t)(buf[4] | buf[5] << 8);
    uint16_t cstart = (uint16_t)(buf[6] | buf[7] << 8), coff = (uint16_t)(buf[8] | buf[9] << 8);
    uint8_t *f = buf + VNET_HDR_LEN;
    size_t len = n - VNET_HDR_LEN;
    if (gso == VIRTIO_NET_HDR_GSO_NONE) {
        if ((flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && (size_t)cstart + coff + 2 <= len) {
            /* The field holds the pseudo-header sum; summing from csum_start over
             * it and the data gives the checksum. */
            uint16_t c = net_csum_fold(net_csum_add(0, f + cstart, len - cstart));
            f[cstart + coff] = (uint8_t)(c >> 8);
            f[cstart + coff + 1] = (uint8_t)c;
        }
        rx_frame(t, f, len, now);
        return;
    }
    /* TCPv4 segmentation: Ethernet, IPv4 and TCP headers are repeated per segment. */
    if (gso != VIRTIO_NET_HDR_GSO_TCPV4 || len < 14 + 20 + 20 || gso_size == 0) {
        t->s->cnt.eth_drop++;
        return;
    }
    size_t ihl = (size_t)(f[14] & 15) * 4;
    size_t thl = len >= 14 + ihl + 13 ? (size_t)(f[14 + ihl + 12] >> 4) * 4 : 0;
    size_t hl = 14 + ihl + thl;
    if (ihl < 20 || thl < 20 || hl > len) {
        t->s->cnt.eth_drop++;
        return;
    }
    static uint8_t seg[2048];
    uint8_t *tcp0 = f + 14 + ihl;
    uint32_t seq = (uint32_t)tcp0[4] << 24 | (uint32_t)tcp0[5] << 16 | (uint32_t)tcp0[6] << 8 | tcp0[7];
    uint16_t id = (uint16_t)(f[18] << 8 | f[19]);
    uint32_t src = (uint32_t)f[26] << 24 | (uint32_t)f[27] << 16 | (uint32_t)f[28] << 8 | f[29];
    uint32_t dst = (uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 | (uint32_t)f[32] << 8 | f[33];
    size_t payload = len - hl;
    for (size_t off = 0, i = 0; off < payload; off += gso_size, i++) {
        size_t chunk = payload - off < gso_size ? payload - off : gso_size;
        if (hl + chunk > APOGEE_NET_PBUF_SIZE) {
            t->s->cnt.eth_drop++;
            return;
        }
        /* Unimpaired: each segment is built straight in a pool buffer. */
        struct net_pbuf *p = NULL;
        uint8_t *out = seg;
        if (!(t->dirs & 1)) {
            if ((p = net_rx_buffer(t->s)) == NULL) {
                return; /* counted by the pool */
            }
            out = p->data;
        }
        memcpy(out, f, hl);
        memcpy(out + hl, f + hl + off, chunk);
        uint8_t *ip = out + 14, *tcp = out + 14 + ihl;
        size_t tot = ihl + thl + chunk;
        ip[2] = (uint8_t)(tot >> 8);
        ip[3] = (uint8_t)tot;
        ip[4] = (uint8_t)((id + i) >> 8);
        ip[5] = (uint8_t)(id + i);
        ip[10] = ip[11] = 0;
        uint16_t ic = net_csum_fold(net_csum_add(0, ip, ihl));
        ip[10] = (uint8_t)(ic >> 8);
        ip[11] = (uint8_t)ic;
        uint32_t sq = seq + (uint32_t)off;
        tcp[4] = (uint8_t)(sq >> 24);
        tcp[5] = (uint8_t)(sq >> 16);
        tcp[6] = (uint8_t)(sq >> 8);
        tcp[7] = (uint8_t)sq;
        if (off + chunk < payload) {
            tcp[13] &= (uint8_t)~0x09; /* FIN and PSH only on the last segment */
        }
        if (off != 0) {
            tcp[13] &= (uint8_t)~0x80; /* CWR only on the first */
        }
        if (p != NULL && (flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
            /* Receive checksum offload: the bytes come from the kernel's memory,
             * whose TCP left the checksum to "the hardware", and nothing impairs
             * them on the way; the stack is told so instead of summing each
             * segment twice (here to fill the field, then in TCP to check it). */
            p->csum = NET_CSUM_RX_TCP_OK;
        } else {
            tcp[16] = tcp[17] = 0;
            uint32_t sum = net_csum_pseudo(src, dst, 6, (uint16_t)(thl + chunk));
            uint16_t tc = net_csum_fold(net_csum_add(sum, tcp, thl + chunk));
            tcp[16] = (uint8_t)(tc >> 8);
            tcp[17] = (uint8_t)tc;
        }
        if (p != NULL) {
            p->len = (uint16_t)(hl + chunk);
            net_input(t->s, p, now);
        } else {
            rx_frame(t, seg, hl + chunk, now);
        }
    }
}

int net_tap_open(struct net_tap *t, struct net_stack *s, uint64_t now_ms)
{
    memset(t, 0, sizeof(*t));
    t->s = s;
    const char *name = native_option("tap");
    if (name == NULL) {
        name = "tap0";
    }
    t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0) {
        fprintf(stderr, "net_tap: /dev/net/tun: %s\n", strerror(errno));
        return APG_EIO;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    const char *off = native_option("offload");
    t->vnet = off == NULL || strcmp(off, "0") != 0;
    ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | (t->vnet ? IFF_VNET_HDR : 0));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "net_tap: attach to %s: %s\n", name, strerror(errno));
        close(t->fd);
        return APG_EIO;
    }
    if (t->vnet && ioctl(t->fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0) {
        fprintf(stderr, "net_tap: offloads refused (%s); frame by frame\n", strerror(errno));
    }
    const char *mac = native_option("mac");
    unsigned m[6];
    if (mac != NULL && sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6) {
        for (int i = 0; i < 6; i++) {
            s->netif.mac[i] = (uint8_t)m[i];
        }
    } else {
        uint32_t r = net_random32(NULL);
        const uint8_t def[6] = {0x02, 0, 0, (uint8_t)(r >> 16), (uint8_t)(r >> 8), (uint8_t)r};
        memcpy(s->netif.mac, def, 6);
    }
    const char *imp = native_option("impair");
    if (imp != NULL) {
        parse_impair(t, imp);
    }
    /* /dev/null or a file on stdin is always "readable": watching it would spin. */
    struct stat st;
    t->watch_stdin = fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                                            isatty(0));
    s->netif.transmit = tap_transmit;
    s->netif.driver = t;
    s->netif.tx_tcp_csum = t->vnet; /* Linux completes what we mark partial */
    net_link_up(s, now_ms);
    return APG_OK;
}

int net_tap_wait(struct net_tap *t, uint32_t timeout_ms)
{
    super_flush(t); /* nothing may wait in the coalescing buffer while we sleep */
    if (t->rx.held_len || t->tx.held_len) {
        timeout_ms = timeout_ms < HOLD_MS ? timeout_ms : HOLD_MS;
    }
    struct pollfd pf[2] = {{.fd = t->fd, .events = POLLIN},
                           {.fd = t->watch_stdin ? 0 : -1, .events = POLLIN}};
    if (poll(pf, 2, timeout_ms > 1000000u ? 1000000 : (int)timeout_ms) <= 0) {
        return 0;
    }
    if (pf[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        t->watch_stdin = 0; /* closed: it would wake every poll from now on */
    }
    return ((pf[0].revents & POLLIN) ? NET_TAP_FRAME : 0) |
           ((pf[1].revents & (POLLIN | POLLHUP)) ? NET_TAP_CONSOLE : 0);
}

void net_tap_receive(struct net_tap *t, uint64_t now_ms)
{
    static uint8_t frame[2048];
    t->s->now_ms = now_ms;
    for (int i = 0; i < 64; i++) { /* bounded: let the main loop run between bursts */
        if (t->vnet) {
            static uint8_t big[VNET_HDR_LEN + 65536 + 64];
            ssize_t n = read(t->fd, big, sizeof(big));
            if (n <= 0) {
                break;
            }
            rx_offloaded(t, big, (size_t)n, now_ms);
            continue;
        }
        if (!(t->dirs & 1)) {
            /* No impairment on receive: the frame goes straight into a pool buffer. */
            struct net_pbuf *p = net_rx_buffer(t->s);
            if (p == NULL) {
                break; /* counted by the pool; the frames wait in the TAP's queue */
            }
            ssize_t n = read(t->fd, p->data, APOGEE_NET_PBUF_SIZE);
            if (n <= 0) {
                net_pbuf_free(&t->s->pool, p);
                break;
            }
            p->len = (uint16_t)n;
            net_input(t->s, p, now_ms);
            continue;
        }
        ssize_t n = read(t->fd, frame, sizeof(frame));
        if (n <= 0) {
            break;
        }
        if ((size_t)n > APOGEE_NET_PBUF_SIZE) {
            t->s->cnt.eth_drop++; /* larger than any frame we accept */
            continue;
        }
        pass(t, 1, frame, (size_t)n, now_ms);
    }
    struct net_tap_dir *dirs[2] = {&t->rx, &t->tx};
    for (int d = 0; d < 2; d++) {
        struct net_tap_dir *h = dirs[d];
        if (h->held_len && now_ms - h->held_since >= HOLD_MS) {
            uint16_t n = h->held_len;
            h->held_len = 0;
            deliver(t, d + 1, h->held, n, now_ms);
        }
    }
}
