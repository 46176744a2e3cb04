/*
 * hal_entropy from a virtio entropy device (virtio spec 1.0, 5.4) on the
 * virtio-mmio transport (4.2, legacy or modern: ../mmio/virtio_mmio.h), as
 * QEMU's virt machine gives it with `-device virtio-rng-device`.
 *
 * Which slot the device sits in depends on how many virtio devices QEMU was
 * given before it (riscv-virt also has virtio-net), so the first call probes
 * every slot the board names (BOARD_ENTROPY_BASES) for device id 4.
 *
 * One virtqueue of QUEUE_SIZE descriptors; one request at a time: a single
 * device-writable descriptor pointing into the caller's buffer, polled until
 * the used ring advances (bounded by APOGEE_HAL_ENTROPY_TIMEOUT_US). The core
 * runs in machine mode without translation, so buffer addresses are physical.
 */
#include <stdint.h>
#include <string.h>

#include "apogee/entropy.h"
#include "apogee/err.h"
#include "apogee/hal.h"
#include "board_config.h"
#include "chip.h"
#include "../mmio/virtio_mmio.h"

/* How long one request may take before the device counts as not answering. */
#ifndef APOGEE_HAL_ENTROPY_TIMEOUT_US
#define APOGEE_HAL_ENTROPY_TIMEOUT_US 1000000u
#endif

#define QUEUE_SIZE 4u
#define MAX_CHUNK 256u  /* bytes per request */

static VIRTQ_RING(QUEUE_SIZE) vq;

static virtio_mmio_regs_t *dev;  /* the entropy device, once found */
static int probe_result = 1;     /* 1: not probed yet; else APG_OK or an error */
static uint16_t last_used;       /* used_idx we have consumed up to */
static uint32_t last_word;       /* the previous output word, for the health check */
static int have_last_word;

static int probe(void)
{
    static const uintptr_t bases[] = BOARD_ENTROPY_BASES;
    dev = virtio_mmio_find(bases, BOARD_ENTROPY_COUNT, VIRTIO_ID_ENTROPY);
    if (dev == NULL) {
        return APG_ENOTSUP;
    }
    uint32_t features; /* the entropy device defines no feature bits */
    memset(&vq, 0, sizeof vq);
    if (virtio_mmio_begin(dev, 0, &features) != APG_OK ||
        virtio_mmio_queue(dev, 0, &vq, QUEUE_SIZE) != APG_OK) {
        return APG_EIO;
    }
    virtio_mmio_ready(dev);
    return APG_OK;
}

/* One request: returns the bytes the device wrote (> 0), or an error. */
static int request(uint8_t *buf, uint32_t len)
{
    uint16_t slot = vq.avail_idx % QUEUE_SIZE;
    vq.desc[0] = (struct virtq_desc){(uint64_t)(uintptr_t)buf, len, VIRTQ_DESC_F_WRITE, 0};
    vq.avail_ring[slot] = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* descriptor before index */
    vq.avail_idx++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* index before notify */
    dev->QUEUE_NOTIFY = 0;
    uint64_t start = hal_clock_us();
    while (VIRTQ_USED_IDX(vq) == last_used) {
        if (dev->STATUS & VIRTIO_MMIO_STATUS_NEEDS_RESET_BITS) {
            return APG_EIO;
        }
        if (hal_clock_us() - start > APOGEE_HAL_ENTROPY_TIMEOUT_US) {
            /* The descriptor stays posted: stop the queue so the device can
             * never write into the caller's buffer later. */
            dev->STATUS = 0;
            probe_result = APG_ETIMEDOUT;
            return APG_ETIMEDOUT;
        }
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* index before element and data */
    uint32_t wrote = vq.used_ring[last_used % QUEUE_SIZE].len;
    last_used++;
    dev->INTERRUPT_ACK = dev->INTERRUPT_STATUS;
    if (wrote == 0 || wrote > len) {
        return APG_EIO;
    }
    return (int)wrote;
}

/* Continuous health check (the repetition test of NIST SP 800-90B 4.4.1 with
 * a cutoff of two 32-bit words): a source that repeats a whole word, e.g. one
 * that leaves the buffer untouched, is broken. False alarm: 2^-32 per word. */
static int check_words(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        if (have_last_word && w == last_word) {
            return APG_EIO;
        }
        last_word = w;
        have_last_word = 1;
    }
    return APG_OK;
}

int hal_entropy(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return APG_EINVAL;
    }
    if (probe_result == 1) {
        probe_result = probe();
    }
    if (probe_result != APG_OK) {
        return probe_result;
    }
    uint8_t *p = buf;
    while (len > 0) {
        uint32_t want = len < MAX_CHUNK ? (uint32_t)len : MAX_CHUNK;
        memset(p, 0, want);
        int got = request(p, want);
        if (got < 0) {
            return got;
        }
        if (check_words(p, (uint32_t)got) != APG_OK) {
            return APG_EIO;
        }
        p += got;
        len -= (size_t)got;
    }
    return APG_OK;
}
