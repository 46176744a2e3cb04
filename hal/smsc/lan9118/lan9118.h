/*
 * lan9118.h - polled driver for the SMSC LAN9118 10/100 Ethernet controller
 * (MAC and PHY on one chip, FIFOs behind a memory-mapped register window).
 *
 * The board's network hook (apogee/netdev.h: hal_net_open, _receive, _wait) is
 * implemented in lan9118.c on the chip's LAN9118 instance; this header is the
 * driver underneath, for a board with more than one or for tests.
 *
 * No interrupt and no DMA: frames are read from the RX data FIFO word by word
 * straight into a pool buffer (net_rx_buffer), and written to the TX data FIFO
 * from the stack's buffer, which is freed as soon as the FIFO holds the frame.
 * The chip keeps what arrives between polls in its own RX FIFO (about 10 KiB);
 * what arrives beyond that is lost on the wire, as on any full NIC.
 *
 * Counted drops (struct lan9118, read through hal_net_counters):
 *   rx_err      a frame with receive error status (CRC, runt, too long, collision)
 *   rx_toolong  a frame that does not fit a pool buffer (APOGEE_NET_PBUF_SIZE)
 *   tx_err      a frame the transmitter reported an error for
 *   tx_full     a frame the TX FIFO had no room for within TX_WAIT_US
 *   tx_bad      a frame of an impossible length (not 14..1514 bytes)
 */
#ifndef LAN9118_H
#define LAN9118_H

#include <stdbool.h>
#include <stdint.h>

#include "chip.h"
#include "net.h"

struct lan9118 {
    lan9118_regs_t *regs;
    struct net_stack *s;
    bool link;                 /* the PHY's link status as last read */
    uint64_t next_link_check;  /* ms: when to read the PHY again */
    uint16_t tag;              /* TX packet tag, counts frames sent */
    uint32_t rx_err, rx_toolong, tx_err, tx_full, tx_bad;
};

/*
 * Reset the chip at regs, take its MAC address (the one the EEPROM or the
 * emulator loaded, else a fixed locally administered 02:00:00:11:81:18), set
 * s->netif (transmit, driver, mac), enable the receiver (own address and
 * broadcast) and the transmitter, and call net_link_up if the PHY has a link.
 * Returns APG_OK, or APG_EIO when nothing that identifies as a LAN9118 answers
 * at regs or it does not come out of reset.
 */
int lan9118_open(struct lan9118 *d, lan9118_regs_t *regs, struct net_stack *s, uint64_t now_ms);

/* Receive up to a bounded burst of frames into the stack, collect transmit
 * status, and every 500 ms read the PHY's link state (net_link_up/down on a
 * change). */
void lan9118_receive(struct lan9118 *d, uint64_t now_ms);

/* True when at least one received frame waits in the RX FIFO. */
bool lan9118_rx_pending(const struct lan9118 *d);

#endif /* LAN9118_H */
