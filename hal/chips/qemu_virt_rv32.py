"""QEMU's `virt` machine with a 32-bit RISC-V hart (RV32IMAC, machine mode, -bios none).

There is no data sheet: the addresses are QEMU's memory map (hw/riscv/virt.c) as
its device tree describes them, and the RAM is what `-m` gives (128 MiB default).
The image is loaded at the start of RAM and runs from RAM.
"""

from sdk.model import Chip, Core, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="qemu_virt_rv32",
    vendor="QEMU",
    core=Core(isa="rv32imac", cpu="", irq_count=96),  # PLIC sources 0..95
    memories=(
        # Code, data and stack all live in DRAM; there is no flash.
        Memory("dram", 0x80000000, 128 * MiB, "ram"),
    ),
    peripherals=(
        # The SiFive test device: a write of 0x5555 powers off with status 0,
        # (code << 16) | 0x3333 with status `code`.
        Peripheral("TEST", "sifive/test", 0x00100000),
        Peripheral("CLINT", "riscv/clint", 0x02000000),
        # NS16550A, byte-spaced registers, clocked at 3.6864 MHz (its DT node's
        # clock-frequency); PLIC source 10.
        Peripheral("UART0", "ti/ns16550", 0x10000000, irq=10, bus="uart"),
        # Eight virtio-mmio slots of 4 KiB at 0x10001000..0x10008000, PLIC sources
        # 1..8. QEMU fills them from the top: the first -device takes VIRTIO7,
        # the next VIRTIO6; an empty slot reads device id 0. The block is the
        # transport; the rng and net drivers probe the slots by device id.
        *(Peripheral(f"VIRTIO{i}", "virtio/mmio", 0x10001000 + 0x1000 * i, irq=1 + i)
          for i in range(8)),
    ),
    timer="CLINT",
    always=("TEST",),
    # The hart has no defined clock in QEMU; 10 MHz is the timebase, the
    # only clock the machine publishes (device tree timebase-frequency).
    fixed_clock_hz=10 * MHz,
    # The virtio-mmio slots as the VIRTIO peripherals above lay them out: a
    # driver whose board names no slot (virtio-net) probes all of them.
    facts={"uart_hz": 3_686_400, "mtime_hz": 10 * MHz, "virtio_mmio_base": 0x10001000,
           "virtio_mmio_stride": 0x1000, "virtio_mmio_slots": 8},
)
