/*
 * virtio_mmio.h - the virtio-mmio transport, legacy interface (virtio spec 1.0,
 * 4.2.4), shared by the device drivers beside it (hal/virtio/rng/, net/).
 *
 * Header only: the transport is a handful of register writes, and a driver folder
 * is linked on its own (sdk/build.py driver_dirs), so there is no transport .c
 * that every image would have to carry. The register block is regs.py here.
 *
 * Contract for a driver:
 *   1. virtio_mmio_find: the first slot of `bases` holding a legacy device of
 *      the given id (QEMU places devices from the top slot down, so a driver
 *      never assumes a slot).
 *   2. virtio_mmio_begin: reset, ACKNOWLEDGE, DRIVER, and accept the subset of
 *      the device's feature bits 0..31 the driver asks for; returns that subset.
 *   3. virtio_mmio_queue for each virtqueue, on a ring declared with
 *      VIRTQ_LEGACY(n) in static memory (page aligned, never moved).
 *   4. virtio_mmio_ready: DRIVER_OK; the device may use the queues from now on.
 * The core runs without address translation (machine mode), so a pointer is
 * the physical address the device sees. Every ring field the device writes is
 * read through a volatile access, after a fence.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stddef.h>
#include <stdint.h>

#include "apogee/err.h"
#include "chip.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_LEGACY 1u         /* VERSION of the legacy register layout */
#define VIRTIO_PAGE 4096u             /* GUEST_PAGE_SIZE and QUEUE_ALIGN we use */

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
 * The legacy split ring of n descriptors (2.4.2): descriptors and the available
 * ring from the start of a page, the used ring at the next VIRTIO_PAGE boundary
 * (QUEUE_ALIGN). n is at most 32 so that the first part fits one page.
 */
#define VIRTQ_LEGACY(n)                                                                  \
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
        if (r->MAGIC == VIRTIO_MMIO_MAGIC && r->VERSION == VIRTIO_MMIO_LEGACY &&
            r->DEVICE_ID == device_id) {
            return r;
        }
    }
    return NULL;
}

static inline uint32_t virtio_mmio_begin(virtio_mmio_regs_t *r, uint32_t wanted)
{
    r->STATUS = 0; /* reset: the device forgets queues and features */
    r->STATUS = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS;
    r->STATUS = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS | VIRTIO_MMIO_STATUS_DRIVER_BITS;
    r->HOST_FEATURES_SEL = 0;
    uint32_t accepted = r->HOST_FEATURES & wanted;
    r->GUEST_FEATURES_SEL = 0;
    r->GUEST_FEATURES = accepted;
    r->GUEST_PAGE_SIZE = VIRTIO_PAGE;
    return accepted;
}

/* Hand queue `index` the zeroed ring at `ring` with n descriptors. APG_EIO (and
 * the device marked FAILED) when the queue does not exist, is smaller than n,
 * or is already in use. */
static inline int virtio_mmio_queue(virtio_mmio_regs_t *r, uint32_t index, void *ring,
                                    uint32_t n)
{
    r->QUEUE_SEL = index;
    if (r->QUEUE_PFN != 0 || r->QUEUE_NUM_MAX < n) {
        r->STATUS = VIRTIO_MMIO_STATUS_FAILED_BITS;
        return APG_EIO;
    }
    r->QUEUE_NUM = n;
    r->QUEUE_ALIGN = VIRTIO_PAGE;
    r->QUEUE_PFN = (uint32_t)((uintptr_t)ring / VIRTIO_PAGE);
    return APG_OK;
}

static inline void virtio_mmio_ready(virtio_mmio_regs_t *r)
{
    r->STATUS = VIRTIO_MMIO_STATUS_ACKNOWLEDGE_BITS | VIRTIO_MMIO_STATUS_DRIVER_BITS |
                VIRTIO_MMIO_STATUS_DRIVER_OK_BITS;
}

/* Byte `off` of the device's configuration space (legacy: guest endian, read
 * bytewise so that no access straddles a field). */
static inline uint8_t virtio_mmio_config8(virtio_mmio_regs_t *r, uint32_t off)
{
    return ((volatile uint8_t *)r)[VIRTIO_MMIO_CONFIG_OFFSET + off];
}

#endif /* VIRTIO_MMIO_H */
