"""virtio over MMIO (virtio spec 1.0, section 4.2.2), in both layouts: the legacy
one (4.2.4, VERSION 1), which QEMU's virt machine presents by default, and the
modern one (VERSION 2, `-global virtio-mmio.force-legacy=false`). They share the
registers up to STATUS; legacy places a queue by page number (QUEUE_PFN), modern
by three addresses and QUEUE_READY. The transport registers of one device slot,
whatever device sits in it. The device drivers
(hal/virtio/rng/, hal/virtio/net/) reach them through virtio_mmio.h; the
device-specific configuration space starts at CONFIG (0x100)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="virtio_mmio",
    doc="virtio-mmio transport, legacy (version 1) and modern (version 2) layouts",
    registers=(
        Register("MAGIC", 0x000, access="ro", reset=0x74726976, doc="'virt' in little endian"),
        Register("VERSION", 0x004, access="ro", doc="1: legacy, 2: modern"),
        Register("DEVICE_ID", 0x008, access="ro", doc="0: empty slot, 1 net, 4 entropy"),
        Register("VENDOR_ID", 0x00C, access="ro"),
        Register("HOST_FEATURES", 0x010, access="ro", doc="device features, word SEL"),
        Register("HOST_FEATURES_SEL", 0x014, access="wo"),
        Register("GUEST_FEATURES", 0x020, access="wo", doc="features the driver accepts"),
        Register("GUEST_FEATURES_SEL", 0x024, access="wo"),
        Register("GUEST_PAGE_SIZE", 0x028, access="wo", doc="unit of QUEUE_PFN, power of 2"),
        Register("QUEUE_SEL", 0x030, access="wo"),
        Register("QUEUE_NUM_MAX", 0x034, access="ro", doc="0: the queue does not exist"),
        Register("QUEUE_NUM", 0x038, access="wo", doc="queue size the driver uses"),
        Register("QUEUE_ALIGN", 0x03C, access="wo", doc="used ring alignment, bytes"),
        Register("QUEUE_PFN", 0x040, doc="(legacy) ring address / page size; 0 stops the queue"),
        Register("QUEUE_READY", 0x044, doc="(modern) 1: the queue's addresses are set, use it"),
        Register("QUEUE_NOTIFY", 0x050, access="wo", doc="queue index with new buffers"),
        Register("INTERRUPT_STATUS", 0x060, access="ro", fields=(
            Field("USED_RING", 0, access="ro", doc="the device used a buffer"),
            Field("CONFIG", 1, access="ro", doc="configuration changed"),
        )),
        Register("INTERRUPT_ACK", 0x064, access="wo"),
        Register("STATUS", 0x070, fields=(
            Field("ACKNOWLEDGE", 0, doc="the guest saw the device"),
            Field("DRIVER", 1, doc="the guest has a driver for it"),
            Field("DRIVER_OK", 2, doc="the driver is ready"),
            Field("FEATURES_OK", 3, doc="(modern only)"),
            Field("NEEDS_RESET", 6, doc="the device hit an error"),
            Field("FAILED", 7, doc="the guest gave up on the device"),
        ), doc="device status; writing 0 resets the device"),
        Register("QUEUE_DESC_LOW", 0x080, access="wo", doc="(modern) descriptor table address"),
        Register("QUEUE_DESC_HIGH", 0x084, access="wo"),
        Register("QUEUE_AVAIL_LOW", 0x090, access="wo", doc="(modern) available ring address"),
        Register("QUEUE_AVAIL_HIGH", 0x094, access="wo"),
        Register("QUEUE_USED_LOW", 0x0A0, access="wo", doc="(modern) used ring address"),
        Register("QUEUE_USED_HIGH", 0x0A4, access="wo"),
        Register("CONFIG_GENERATION", 0x0FC, access="ro",
                 doc="(modern) changes when the configuration does"),
        Register("CONFIG", 0x100, width=8, access="ro",
                 doc="first byte of the device's configuration (net: mac[6], status)"),
    ),
)
