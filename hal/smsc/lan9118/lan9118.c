/*
 * Polled LAN9118 driver (see lan9118.h) and the board network hook of
 * apogee/netdev.h on the chip's LAN9118 instance.
 *
 * Register semantics are the LAN9118 datasheet's (section 5); where QEMU's model
 * departs from them the code says so. The FIFOs are little-endian words: byte 0
 * of a frame is the low byte of its first word, which is the core's own order
 * on every board this runs on (Cortex-M), so words are copied with memcpy.
 */
#include "lan9118.h"

#include <string.h>

#include "apogee/err.h"
#include "apogee/hal.h"
#include "apogee/netdev.h"
#include "board_config.h"

/* The chip descriptions name their LAN9118 instance ETH (hal/chips/an385.py). */
#ifndef BOARD_NET_REGS
#define BOARD_NET_REGS ETH
#endif

/* MAC registers, reached through MAC_CSR_CMD/DATA (datasheet 5.4). */
#define MAC_CR 1u
#define MAC_ADDRH 2u
#define MAC_ADDRL 3u
#define MAC_MII_ACC 6u
#define MAC_MII_DATA 7u

#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)

/* MII_ACC: PHY address in 15:11 (the internal PHY is 1), register in 10:6. */
#define MII_ACC_BUSY (1u << 0)
#define MII_ACC_WRITE (1u << 1)
#define MII_PHY_ADDR (1u << 11)

/* PHY registers (IEEE 802.3 clause 22). */
#define PHY_BMSR 1u
#define PHY_BMSR_LINK (1u << 2)
#define PHY_ANAR 4u
#define PHY_ANLPAR 5u
#define PHY_AN_10FD (1u << 6)
#define PHY_AN_100HD (1u << 7)
#define PHY_AN_100FD (1u << 8)

/* TX command A and B (datasheet 3.12.2). */
#define TXA_LAST_SEG (1u << 12)
#define TXA_FIRST_SEG (1u << 13)
#define TXB_TAG_LSB 16

#define ETH_MIN 14u   /* a header, at least */
#define ETH_MAX 1514u /* the largest frame without FCS the stack makes or takes */
#define FCS_LEN 4u

#define RESET_US 100000u     /* soft reset and READY: a few ms on the chip */
#define CSR_WAIT_US 10000u   /* one MAC or MII register access */
#define TX_WAIT_US 2000u     /* room for one frame: a full FIFO drains in ~0.4 ms at 100 Mb/s */
#define RX_BURST 32          /* frames per hal_net_receive: the loop keeps turning */
#define LINK_CHECK_MS 500u

static bool wait_clear(volatile uint32_t *reg, uint32_t bits, uint32_t us)
{
    uint64_t start = hal_clock_us();
    while (*reg & bits) {
        if (hal_clock_us() - start > us) {
            return false;
        }
    }
    return true;
}

/* Indirect MAC register access. A timed-out access reads 0 and writes nothing:
 * the chip is gone, which the next open (or the link check) reveals. */
static uint32_t mac_read(lan9118_regs_t *r, uint32_t idx)
{
    if (!wait_clear(&r->MAC_CSR_CMD, LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS, CSR_WAIT_US)) {
        return 0;
    }
    r->MAC_CSR_CMD = LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS | LAN9118_MAC_CSR_CMD_R_NW_BITS | idx;
    if (!wait_clear(&r->MAC_CSR_CMD, LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS, CSR_WAIT_US)) {
        return 0;
    }
    return r->MAC_CSR_DATA;
}

static void mac_write(lan9118_regs_t *r, uint32_t idx, uint32_t v)
{
    if (!wait_clear(&r->MAC_CSR_CMD, LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS, CSR_WAIT_US)) {
        return;
    }
    r->MAC_CSR_DATA = v;
    r->MAC_CSR_CMD = LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS | idx;
    (void)wait_clear(&r->MAC_CSR_CMD, LAN9118_MAC_CSR_CMD_CSR_BUSY_BITS, CSR_WAIT_US);
}

static bool mii_idle(lan9118_regs_t *r)
{
    uint64_t start = hal_clock_us();
    while (mac_read(r, MAC_MII_ACC) & MII_ACC_BUSY) {
        if (hal_clock_us() - start > CSR_WAIT_US) {
            return false;
        }
    }
    return true;
}

/* A PHY register, or 0 when the MII does not answer (reads as "no link"). */
static uint16_t phy_read(lan9118_regs_t *r, uint32_t reg)
{
    if (!mii_idle(r)) {
        return 0;
    }
    mac_write(r, MAC_MII_ACC, MII_PHY_ADDR | (reg << 6) | MII_ACC_BUSY);
    if (!mii_idle(r)) {
        return 0;
    }
    return (uint16_t)mac_read(r, MAC_MII_DATA);
}

/* Full duplex when the best mode both ends advertise is a full-duplex one
 * (802.3 Annex 28B priority: 100FD, 100HD, 10FD, 10HD). A MAC left at half
 * duplex on a full-duplex link sees false collisions. */
static bool phy_full_duplex(lan9118_regs_t *r)
{
    uint16_t common = phy_read(r, PHY_ANAR) & phy_read(r, PHY_ANLPAR);
    if (common & PHY_AN_100FD) {
        return true;
    }
    return !(common & PHY_AN_100HD) && (common & PHY_AN_10FD);
}

static void link_check(struct lan9118 *d, uint64_t now_ms)
{
    d->next_link_check = now_ms + LINK_CHECK_MS;
    bool up = (phy_read(d->regs, PHY_BMSR) & PHY_BMSR_LINK) != 0;
    if (up == d->link) {
        return;
    }
    d->link = up;
    if (up) {
        uint32_t cr = mac_read(d->regs, MAC_CR) & ~MAC_CR_FDPX;
        mac_write(d->regs, MAC_CR, cr | (phy_full_duplex(d->regs) ? MAC_CR_FDPX : 0u));
        net_link_up(d->s, now_ms);
    } else {
        net_link_down(d->s);
    }
}

/* Read and drop `words` words of the frame at the head of the RX data FIFO. */
static void rx_discard(lan9118_regs_t *r, uint32_t words)
{
    /* The datasheet's fast-forward (RX_DP_CTRL) is not used: QEMU's model
     * leaves its FIFO count wrong after one. Reading is as fast in emulation. */
    while (words-- > 0) {
        (void)r->RX_DATA_FIFO;
    }
}

static void tx_status(struct lan9118 *d)
{
    lan9118_regs_t *r = d->regs;
    uint32_t n = (r->TX_FIFO_INF & LAN9118_TX_FIFO_INF_TXSUSED_BITS) >>
                 LAN9118_TX_FIFO_INF_TXSUSED_LSB;
    while (n-- > 0) {
        if (r->TX_STATUS_FIFO & LAN9118_TX_STATUS_FIFO_ES_BITS) {
            d->tx_err++;
        }
    }
}

static int lan9118_transmit(struct net_netif *nif, struct net_pbuf *p)
{
    struct lan9118 *d = nif->driver;
    lan9118_regs_t *r = d->regs;
    uint32_t len = p->len;
    if (len < ETH_MIN || len > ETH_MAX) {
        d->tx_bad++;
        net_pbuf_free(nif->pool, p);
        return APG_EINVAL;
    }
    uint32_t words = (len + 3u) / 4u;
    uint64_t start = hal_clock_us();
    while ((r->TX_FIFO_INF & LAN9118_TX_FIFO_INF_TDFREE_BITS) < words * 4u + 8u) {
        if (hal_clock_us() - start > TX_WAIT_US) {
            d->tx_full++;
            net_pbuf_free(nif->pool, p);
            return APG_ENOMEM;
        }
    }
    /* One segment holding the whole frame, data from byte 0 of the first word;
     * the MAC pads short frames to 64 bytes and appends the FCS. */
    r->TX_DATA_FIFO = TXA_FIRST_SEG | TXA_LAST_SEG | len;
    r->TX_DATA_FIFO = ((uint32_t)d->tag++ << TXB_TAG_LSB) | len;
    const uint8_t *src = net_pbuf_data(p);
    uint32_t full = len / 4u;
    for (uint32_t i = 0; i < full; i++) {
        uint32_t w;
        memcpy(&w, src + 4u * i, 4); /* the frame need not be word aligned */
        r->TX_DATA_FIFO = w;
    }
    if (len & 3u) {
        uint32_t w = 0; /* the tail, never reading past the frame */
        memcpy(&w, src + 4u * full, len & 3u);
        r->TX_DATA_FIFO = w;
    }
    net_pbuf_free(nif->pool, p);
    return APG_OK;
}

int lan9118_open(struct lan9118 *d, lan9118_regs_t *regs, struct net_stack *s, uint64_t now_ms)
{
    memset(d, 0, sizeof(*d));
    d->regs = regs;
    d->s = s;
    lan9118_regs_t *r = regs;
    /* BYTE_TEST is readable before the chip is ready, and tells a LAN9118 (or a
     * sibling, ID 0x0115..0x0118) from an empty bus. */
    if (r->BYTE_TEST != LAN9118_BYTE_TEST_RESET ||
        ((r->ID_REV & LAN9118_ID_REV_ID_BITS) >> LAN9118_ID_REV_ID_LSB) - 0x0115u > 3u) {
        return APG_EIO;
    }
    r->HW_CFG = LAN9118_HW_CFG_SRST_BITS;
    if (!wait_clear(&r->HW_CFG, LAN9118_HW_CFG_SRST_BITS, RESET_US)) {
        return APG_EIO;
    }
    uint64_t t0 = hal_clock_us();
    while (!(r->PMT_CTRL & LAN9118_PMT_CTRL_READY_BITS)) {
        if (hal_clock_us() - t0 > RESET_US) {
            return APG_EIO;
        }
    }
    /* Polled: no interrupt line. */
    r->INT_EN = 0;
    r->INT_STS = 0xFFFFFFFFu;
    r->IRQ_CFG = 0;

    uint32_t lo = mac_read(r, MAC_ADDRL), hi = mac_read(r, MAC_ADDRH);
    uint8_t mac[6] = {(uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16), (uint8_t)(lo >> 24),
                      (uint8_t)hi, (uint8_t)(hi >> 8)};
    static const uint8_t zero[6], ones[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    if (memcmp(mac, zero, 6) == 0 || memcmp(mac, ones, 6) == 0 || (mac[0] & 1u)) {
        /* No EEPROM (or a blank one): a fixed locally administered address,
         * unique only on a LAN with one such board. */
        static const uint8_t fixed[6] = {0x02, 0x00, 0x00, 0x11, 0x81, 0x18};
        memcpy(mac, fixed, 6);
        mac_write(r, MAC_ADDRL, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
                                    (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
        mac_write(r, MAC_ADDRH, (uint32_t)mac[4] | (uint32_t)mac[5] << 8);
    }
    memcpy(s->netif.mac, mac, 6);

    r->RX_CFG = 0; /* no offset before the data, 4-byte end alignment */
    r->TX_CFG = LAN9118_TX_CFG_TX_ON_BITS | LAN9118_TX_CFG_TXSAO_BITS;
    /* Reset leaves the filter promiscuous (PRMS): clear it so only our own
     * address and broadcast reach the stack. */
    mac_write(r, MAC_CR, MAC_CR_RXEN | MAC_CR_TXEN);

    s->netif.transmit = lan9118_transmit;
    s->netif.driver = d;
    link_check(d, now_ms);
    return APG_OK;
}

bool lan9118_rx_pending(const struct lan9118 *d)
{
    return (d->regs->RX_FIFO_INF & LAN9118_RX_FIFO_INF_RXSUSED_BITS) != 0;
}

void lan9118_receive(struct lan9118 *d, uint64_t now_ms)
{
    lan9118_regs_t *r = d->regs;
    struct net_stack *s = d->s;
    s->now_ms = now_ms;
    for (int i = 0; i < RX_BURST && lan9118_rx_pending(d); i++) {
        /* The buffer first: with the pool empty the frame stays in the FIFO
         * (its status word unread) until the stack frees one. */
        struct net_pbuf *p = net_rx_buffer(s);
        if (p == NULL) {
            break; /* counted by the pool */
        }
        uint32_t st = r->RX_STATUS_FIFO;
        uint32_t len = (st & LAN9118_RX_STATUS_FIFO_PKT_LEN_BITS) >>
                       LAN9118_RX_STATUS_FIFO_PKT_LEN_LSB; /* FCS included */
        uint32_t words = (len + 3u) / 4u;
        if (st & (LAN9118_RX_STATUS_FIFO_ES_BITS | LAN9118_RX_STATUS_FIFO_FILTER_FAIL_BITS) ||
            len < ETH_MIN + FCS_LEN) {
            d->rx_err++;
            rx_discard(r, words);
            net_pbuf_free(&s->pool, p);
            continue;
        }
        if (words * 4u > APOGEE_NET_PBUF_SIZE) {
            d->rx_toolong++;
            rx_discard(r, words);
            net_pbuf_free(&s->pool, p);
            continue;
        }
        for (uint32_t w = 0; w < words; w++) {
            uint32_t v = r->RX_DATA_FIFO;
            memcpy(p->data + 4u * w, &v, 4);
        }
        p->len = (uint16_t)(len - FCS_LEN);
        net_input(s, p, now_ms);
    }
    tx_status(d);
    if (now_ms >= d->next_link_check) {
        link_check(d, now_ms);
    }
}

/* ---- The board's network hook (apogee/netdev.h) ---------------------------- */

static struct lan9118 board_nic;

int hal_net_open(struct net_stack *s, uint64_t now_ms)
{
    return lan9118_open(&board_nic, BOARD_NET_REGS, s, now_ms);
}

void hal_net_receive(struct net_stack *s, uint64_t now_ms)
{
    (void)s; /* the one stack given to hal_net_open */
    lan9118_receive(&board_nic, now_ms);
}

uint32_t hal_net_wait(uint32_t timeout_ms)
{
    /* Without the interrupt line, sleep in WFI: SysTick wakes the core every
     * millisecond, so a frame is seen within 1 ms and the host running the
     * emulator is not kept busy. The UART cannot be peeked, hence CONSOLE. */
    uint64_t start = hal_clock_us();
    while (!lan9118_rx_pending(&board_nic)) {
        if (hal_clock_us() - start >= (uint64_t)timeout_ms * 1000u) {
            return HAL_NET_CONSOLE;
        }
#if defined(__arm__)
        __asm__ volatile("wfi");
#endif
    }
    return HAL_NET_FRAME | HAL_NET_CONSOLE;
}

unsigned hal_net_counters(struct hal_net_counter *out, unsigned cap)
{
    const struct hal_net_counter all[] = {
        {"nic_rx_err", board_nic.rx_err},   {"nic_rx_toolong", board_nic.rx_toolong},
        {"nic_tx_err", board_nic.tx_err},   {"nic_tx_full", board_nic.tx_full},
        {"nic_tx_bad", board_nic.tx_bad},
    };
    unsigned n = sizeof(all) / sizeof(all[0]);
    for (unsigned i = 0; i < n && i < cap; i++) {
        out[i] = all[i];
    }
    return n;
}

const char *hal_net_option(const char *name)
{
    (void)name; /* no command line: apps use DHCP */
    return NULL;
}
