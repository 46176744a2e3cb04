/*
 * AArch64 core set-up at EL1: an identity map of the 32-bit physical space,
 * then the MMU and caches on.
 *
 * Why: with the MMU off every data access is Device memory, where unaligned
 * accesses and DC ZVA (both used by the C library's memcpy and memset) fault,
 * and nothing is cached. The map (ARMv8-A ARM, D5: 4 KiB granule, 32-bit
 * virtual addresses, so the walk starts at level 1 with four 1 GiB entries):
 *   0 .. __ram_end                    normal memory, write-back cached
 *   __stack_guard, one 4 KiB page     unmapped: a stack overflow faults there
 *   CHIP_FACT_PERIPHERAL_BASE .. 4 GiB device memory (nGnRnE), never executed
 *   everything else                   unmapped: an access is a fault to report
 * A 1 GiB entry that is all one kind is a block; one that straddles a boundary
 * points at a level-2 table of 2 MiB blocks, and the 2 MiB around the guard
 * page at a level-3 table of 4 KiB pages.
 */
#include <stdbool.h>
#include <stdint.h>

#include "board_config.h"

#ifndef CHIP_FACT_PERIPHERAL_BASE
#error "peripheral_base: the chip must say where its device memory starts"
#endif

extern char __ram_end[], __stack_guard[];

void aarch64_core_init(void);
void aarch64_timer_start(void);

#define GIB (1ull << 30)
#define MIB2 (1ull << 21)
#define KIB4 (1ull << 12)

/* Descriptor bits (D5.3). Blocks (levels 1, 2) end in 0b01, tables (levels 1,
 * 2) and pages (level 3) in 0b11. */
#define DESC_BLOCK 0x1ull
#define DESC_TABLE 0x3ull
#define DESC_PAGE 0x3ull
#define ATTR_NORMAL (0ull << 2) /* MAIR index 0 */
#define ATTR_DEVICE (1ull << 2) /* MAIR index 1 */
#define SH_INNER (3ull << 8)
#define AF (1ull << 10)
#define PXN (1ull << 53)
#define UXN (1ull << 54)

#define MAIR_VALUE 0x00FFull /* index 0: normal WB RW-allocate; 1: Device-nGnRnE */
#define TCR_VALUE ((32ull << 0) |  /* T0SZ: 32-bit addresses */ \
                   (1ull << 8) |   /* IRGN0: walks write-back cached */ \
                   (1ull << 10) |  /* ORGN0 */ \
                   (3ull << 12) |  /* SH0: inner shareable */ \
                   (0ull << 14) |  /* TG0: 4 KiB granule */ \
                   (1ull << 23))   /* EPD1: no TTBR1 walks */
#define SCTLR_RES1 0x30D00800ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)

/* Level-2 tables: one per 1 GiB that holds a boundary (RAM end, peripheral
 * base, guard page); level 3: the guard page's 2 MiB. */
#define L2_TABLES 3

static uint64_t l1[4] __attribute__((aligned(64))); /* TTBR0: aligned to its size, 64 at least */
static uint64_t l2[L2_TABLES][512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

enum kind { UNMAPPED, NORMAL, DEVICE };

static enum kind kind_of(uint64_t addr)
{
    if (addr < (uint64_t)(uintptr_t)__ram_end) {
        return NORMAL;
    }
    if (addr >= CHIP_FACT_PERIPHERAL_BASE) {
        return DEVICE;
    }
    return UNMAPPED;
}

/* A block (levels 1, 2) or page (level 3) descriptor for addr of kind k. */
static uint64_t leaf(uint64_t addr, enum kind k, uint64_t type)
{
    switch (k) {
    case NORMAL:
        return addr | type | ATTR_NORMAL | SH_INNER | AF;
    case DEVICE:
        return addr | type | ATTR_DEVICE | AF | PXN | UXN;
    default:
        return 0; /* invalid */
    }
}

static bool uniform(uint64_t base, uint64_t size, uint64_t step)
{
    for (uint64_t a = base + step; a < base + size; a += step) {
        if (kind_of(a) != kind_of(base)) {
            return false;
        }
    }
    return true;
}

void aarch64_core_init(void)
{
    unsigned used = 0;
    uint64_t guard = (uint64_t)(uintptr_t)__stack_guard;
    for (unsigned i = 0; i < 4; i++) {
        uint64_t base = i * GIB;
        bool has_guard = guard >= base && guard < base + GIB;
        /* RAM ends and peripherals start on 2 MiB boundaries at least, so one
         * look per 2 MiB decides whether the whole GiB is of one kind. */
        if ((!has_guard && uniform(base, GIB, MIB2)) || used == L2_TABLES) {
            l1[i] = leaf(base, kind_of(base), DESC_BLOCK);
            continue;
        }
        for (unsigned j = 0; j < 512; j++) {
            uint64_t a = base + j * MIB2;
            l2[used][j] = leaf(a, kind_of(a), DESC_BLOCK);
        }
        if (has_guard) {
            uint64_t region = guard & ~(MIB2 - 1u);
            for (unsigned k = 0; k < 512; k++) {
                uint64_t a = region + k * KIB4;
                l3[k] = a == guard ? 0 : leaf(a, kind_of(a), DESC_PAGE);
            }
            l2[used][(guard - base) / MIB2] = (uint64_t)(uintptr_t)l3 | DESC_TABLE;
        }
        l1[i] = (uint64_t)(uintptr_t)l2[used] | DESC_TABLE;
        used++;
    }
    __asm__ volatile(
        "msr mair_el1, %0\n\t"
        "msr tcr_el1, %1\n\t"
        "msr ttbr0_el1, %2\n\t"
        "dsb ish\n\t"
        "tlbi vmalle1\n\t"
        "dsb ish\n\t"
        "isb\n\t"
        "msr sctlr_el1, %3\n\t"
        "isb"
        :
        : "r"(MAIR_VALUE), "r"(TCR_VALUE), "r"((uint64_t)(uintptr_t)l1),
          "r"(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I)
        : "memory");
    aarch64_timer_start();
}
