/* One net_app with a capture driver, for cffi (tests/net/test_api.py). */
#include <string.h>

#include "net_api.h"

#define CAP_MAX 32

static struct net_app app;
static uint8_t cap[CAP_MAX][APOGEE_NET_PBUF_SIZE];
static size_t cap_len[CAP_MAX];
static unsigned cap_n;
static uint32_t lcg = 99;

static uint32_t rnd(void *ctx)
{
    (void)ctx;
    lcg = lcg * 1103515245u + 12345u;
    return lcg ^ (lcg >> 16);
}

static int capture(struct net_netif *nif, struct net_pbuf *p)
{
    if (cap_n < CAP_MAX) {
        memcpy(cap[cap_n], net_pbuf_data(p), p->len);
        cap_len[cap_n++] = p->len;
    }
    net_pbuf_free(nif->pool, p);
    return APG_OK;
}

struct net_app *api_init(const uint8_t mac[6], uint64_t now)
{
    net_app_init(&app, rnd, NULL);
    app.net.netif.transmit = capture;
    memcpy(app.net.netif.mac, mac, 6);
    cap_n = 0;
    net_link_up(&app.net, now);
    return &app;
}

void api_input(const uint8_t *frame, size_t len, uint64_t now)
{
    struct net_pbuf *p = net_rx_buffer(&app.net);
    if (p != NULL && len <= APOGEE_NET_PBUF_SIZE) {
        memcpy(net_pbuf_put(p, len), frame, len);
        net_input(&app.net, p, now);
    } else {
        net_pbuf_free(&app.net.pool, p);
    }
}

unsigned api_tx_count(void) { return cap_n; }
void api_tx_clear(void) { cap_n = 0; }
size_t api_tx_get(unsigned i, uint8_t *out)
{
    if (i >= cap_n) {
        return 0;
    }
    memcpy(out, cap[i], cap_len[i]);
    return cap_len[i];
}
unsigned api_pool_free(void) { return app.net.pool.free_count; }
