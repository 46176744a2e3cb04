/*
 * virtio_mmio.h - the virtio-mmio transport (virtio spec 1.0, 4.2), legacy
 * (VERSION 1, 4.2.4: QEMU's default) and modern (VERSION 2), shared by the
 * device drivers beside it (hal/virtio/rng/, net/).
 *
 * Header only: the transport is a handful of register writes, and a driver folder
 * is linked on its own (sdk/build.py driver_dirs), so there is no transport .c
 * that every image would have to carry. The register block is regs.py here.
 *
 * Contract for a driver:
 *   1. virtio_mmio_find: the first slot of `bases` holding a device of the given
 *      id (QEMU places devices from the top slot down, so a driver never
 *      assumes a slot).
 *   2. virtio_mmio_begin: reset, ACKNOWLEDGE, DRIVER, and accept the subset of
 *      the device's feature bits 0..31 the driver asks for (modern: plus
 *      VIRTIO_F_VERSION_1, then FEATURES_OK).
 *   3. virtio_mmio_queue for each virtqueue, on a ring declared with
 *      VIRTQ_RING(n) in static memory (page aligned, never moved).
 *   4. virtio_mmio_ready: DRIVER_OK; the device may use the queues from now on.
 * What differs between the layouts beyond this (a modern net device's 12-byte
 * header) the driver asks virtio_mmio_modern. The core runs without address
 * translation (machine mode), so a pointer is the physical address the device
 * sees. Every ring field the device writes is read through a volatile access,
 * after a fence.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stddef.h>
#include <stdint.h>

#include "apogee/err.h"
#include "chip.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_LEGACY 1u         /* VERSION of the legacy register layout */
#define VIRTIO_MMIO_MODERN 2u         /* VERSION of the modern one */
#define VIRTIO_PAGE 4096u             /* GUEST_PAGE_SIZE and QUEUE_ALIGN (legacy) */
/* Feature bit 32 (word 1, bit 0): the device and driver speak virtio 1.0 (6.1). */
#define VIRTIO_F_VERSION_1_WORD1 1u

/* Device ids (spec 5). */
#define VIRTIO_ID_NET 1u
#define VIRTIO_ID_ENTROPY 4u

/* Descriptor flags (spec 2.4.5). */
#define VIRTQ_DESC_F_NEXT 1u  /* the chain continues at .next */
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */
/* used.flags: the device does not need QUEUE_NOTIFY for new buffers (2.4.7). */
#define VIRTQ_USED_F_NO_NOTIFY 1u

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_used_elem {
    uint32_t id;  /* head descriptor of the chain the device used */
    uint32_t len; /* bytes the device wrote into it */
};

/*
 * A split ring of n descriptors in the legacy layout (2.4.2): descriptors and the
 * available ring from the start of a page, the used ring at the next VIRTIO_PAGE
 * boundary (QUEUE_ALIGN). A modern device is given the three parts' addresses
 * and takes the same layout. n is at most 32 so that the first part fits one
 * page.
 */
#define VIRTQ_RING(n)                                                                    \
    struct {                                                                             \
        struct virtq_desc desc[n];                                                       \
        uint16_t avail_flags;                                                            \
        uint16_t avail_idx;                                                              \
        uint16_t avail_ring[n];                                                          \
        uint16_t used_event;                                                             \
        uint8_t pad[VIRTIO_PAGE - (n) * sizeof(struct virtq_desc) - (3 + (n)) * 2];      \
        uint16_t used_flags;                                                             \
        uint16_t used_idx;                                                               \
        struct virtq_used_elem used_ring[n];                                             \
        uint16_t avail_event;                                                            \
    } __attribute__((aligned(VIRTIO_PAGE)))

/* The used index the device last published (it writes it behind our back). */
#define VIRTQ_USED_IDX(q) (*(volatile uint16_t *)&(q).used_idx)

static inline virtio_mmio_regs_t *virtio_mmio_find(const uintptr_t *bases, unsigned count,
                                                   uint32_t device_id)
{
    for (unsigned i = 0; i < count; i++) {
        virtio_mmio_regs_t *r = (virtio_mmio_regs_t *)bases[i];
        if (r->MAGIC == VIRTIO_MMIO_MAGIC &&
            (r->VERSION == VIRTIO_MMIO_LEGACY || r->VERSION == VIRTIO_MMIO_MODERN) &&
            r->DEVICE_ID == device_id) {
            return r;
        }
    }
    return NULL;
}

static inline int virtio_mmio_modern(virtio_mmio_regs_t *r)
{
    return r->VERSION == VIRTIO_MMIO_MODERN;
}

/* *accepted: the feature bits 0..31 both sides use. APG_EIO (the device marked
 * FAILED) when a modern device refuses them or does not offer VERSION_1. */
static inline int virtio_mmio_begin(virtio_mmio_regs_t *r, uint32_t wanted, uint32_t *accepted)
{
    r->STATUS = 0; /* reset: the device forgets queues and features */
    r->STATUS = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS;
    r->STATUS = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS | VIRTIO_MMIO_STATUS_DRIVER_BITS;
    r->HOST_FEATURES_SEL = 0;
    *accepted = r->HOST_FEATURES & wanted;
    r->GUEST_FEATURES_SEL = 0;
    r->GUEST_FEATURES = *accepted;
    if (!virtio_mmio_modern(r)) {
        r->GUEST_PAGE_SIZE = VIRTIO_PAGE;
        return APG_OK;
    }
    r->HOST_FEATURES_SEL = 1;
    uint32_t word1 = r->HOST_FEATURES & VIRTIO_F_VERSION_1_WORD1;
    r->GUEST_FEATURES_SEL = 1;
    r->GUEST_FEATURES = word1;
    const uint32_t st = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS | VIRTIO_MMIO_STATUS_DRIVER_BITS |
                        VIRTIO_MMIO_STATUS_FEATURES_OK_BITS;
    r->STATUS = st;
    if (word1 == 0 || (r->STATUS & st) != st) {
        r->STATUS = VIRTIO_MMIO_STATUS_FAILED_BITS;
        return APG_EIO;
    }
    return APG_OK;
}

/* Hand queue `index` the zeroed VIRTQ_RING(n) at `ring`. APG_EIO (and the device
 * marked FAILED) when the queue does not exist, is smaller than n, or is
 * already in use. */
static inline int virtio_mmio_queue(virtio_mmio_regs_t *r, uint32_t index, void *ring,
                                    uint32_t n)
{
    int modern = virtio_mmio_modern(r);
    r->QUEUE_SEL = index;
    if ((modern ? r->QUEUE_READY : r->QUEUE_PFN) != 0 || r->QUEUE_NUM_MAX < n) {
        r->STATUS = VIRTIO_MMIO_STATUS_FAILED_BITS;
        return APG_EIO;
    }
    r->QUEUE_NUM = n;
    uintptr_t at = (uintptr_t)ring;
    if (!modern) {
        r->QUEUE_ALIGN = VIRTIO_PAGE;
        r->QUEUE_PFN = (uint32_t)(at / VIRTIO_PAGE);
        return APG_OK;
    }
    /* VIRTQ_RING's layout: the available ring right after the descriptors,
     * the used ring on the next page. Addresses are below 4 GiB here. */
    r->QUEUE_DESC_LOW = (uint32_t)at;
    r->QUEUE_DESC_HIGH = 0;
    r->QUEUE_AVAIL_LOW = (uint32_t)(at + n * sizeof(struct virtq_desc));
    r->QUEUE_AVAIL_HIGH = 0;
    r->QUEUE_USED_LOW = (uint32_t)(at + VIRTIO_PAGE);
    r->QUEUE_USED_HIGH = 0;
    r->QUEUE_READY = 1;
    return APG_OK;
}

static inline void virtio_mmio_ready(virtio_mmio_regs_t *r)
{
    uint32_t st = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS | VIRTIO_MMIO_STATUS_DRIVER_BITS |
                  VIRTIO_MMIO_STATUS_DRIVER_OK_BITS;
    r->STATUS = st | (virtio_mmio_modern(r) ? VIRTIO_MMIO_STATUS_FEATURES_OK_BITS : 0u);
}

/* Bytes [off, off+len) of the device's configuration space, read bytewise (no
 * access straddles a field). A modern device may change the configuration
 * between two bytes: read again until its generation is the same before and
 * after. */
static inline void virtio_mmio_config(virtio_mmio_regs_t *r, uint32_t off, uint8_t *out,
                                      uint32_t len)
{
    const volatile uint8_t *cfg = (const volatile uint8_t *)r + VIRTIO_MMIO_CONFIG_OFFSET;
    int modern = virtio_mmio_modern(r);
    uint32_t gen;
    do {
        gen = modern ? r->CONFIG_GENERATION : 0u;
        for (uint32_t i = 0; i < len; i++) {
            out[i] = cfg[off + i];
        }
    } while (modern && r->CONFIG_GENERATION != gen);
}

#endif /* VIRTIO_MMIO_H */
