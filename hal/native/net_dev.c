/*
 * The native board's network hook (apogee/netdev.h): the TAP backend
 * (net_tap.h) or, with --net=slirp, libslirp (net_slirp.h). Each keeps its
 * own options and behaviour; this file only chooses between them and gives
 * them the portable names.
 */
#include <string.h>

#include "apogee/netdev.h"
#include "net_slirp.h"
#include "net_tap.h"

static struct net_tap tap;
static int use_slirp; /* --net=slirp: user-mode networking instead of the TAP */

int hal_net_open(struct net_stack *s, uint64_t now_ms)
{
    const char *backend = native_option("net");
    use_slirp = backend != NULL && strcmp(backend, "slirp") == 0;
    return use_slirp ? net_slirp_open(s, now_ms) : net_tap_open(&tap, s, now_ms);
}

void hal_net_receive(struct net_stack *s, uint64_t now_ms)
{
    (void)s; /* the backends hold the stack given to hal_net_open */
    if (use_slirp) {
        net_slirp_receive(now_ms);
    } else {
        net_tap_receive(&tap, now_ms);
    }
}

_Static_assert(HAL_NET_FRAME == NET_TAP_FRAME && HAL_NET_CONSOLE == NET_TAP_CONSOLE,
               "the backends' wait flags are the portable ones");

uint32_t hal_net_wait(uint32_t timeout_ms)
{
    return (uint32_t)(use_slirp ? net_slirp_wait(timeout_ms) : net_tap_wait(&tap, timeout_ms));
}

/* The TAP's impairment counters (--impair=...); zero with libslirp. */
unsigned hal_net_counters(struct hal_net_counter *out, unsigned cap)
{
    const struct hal_net_counter all[] = {
        {"imp_drop", tap.n_drop},
        {"imp_dup", tap.n_dup},
        {"imp_reorder", tap.n_reorder},
        {"imp_corrupt", tap.n_corrupt},
    };
    unsigned n = sizeof(all) / sizeof(all[0]);
    for (unsigned i = 0; i < n && i < cap; i++) {
        out[i] = all[i];
    }
    return n;
}

const char *hal_net_option(const char *name)
{
    return native_option(name);
}
