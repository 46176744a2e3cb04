"""Broadcom BCM2837 (Raspberry Pi 3): four Cortex-A53 cores (ARMv8-A, AArch64),
peripherals at 0x3F000000 as the ARM sees them (BCM2835 ARM Peripherals, 1.2.3,
bus address 0x7Exxxxxx), the ARM local peripherals at 0x40000000.

The Raspberry Pi firmware loads the image at 0x80000 (config.txt
kernel_address) and starts core 0 at EL2; QEMU's raspi3b machine loads the ELF
and starts all four cores at EL3. SDRAM is shared with the GPU: the ARM owns at
least its lowest 512 MiB with any gpu_mem setting up to 512 MB.
"""

from sdk.model import Chip, Core, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="bcm2837",
    vendor="Broadcom",
    core=Core(isa="armv8-a", cpu="cortex-a53", irq_count=64),
    memories=(Memory("sdram", 0x00000000, 512 * MiB, "ram"),),
    peripherals=(
        Peripheral("GPIO", "bcm/gpio", 0x3F200000),
        # IRQ: the GPU interrupt number (BCM2835 ARM Peripherals, 7.5).
        Peripheral("UART0", "arm/pl011", 0x3F201000, irq=57, bus="uart"),
    ),
    pins=tuple(f"GPIO{n}" for n in range(54)),
    ports={"GPIO": "GPIO"},
    # The monotonic clock is the core's generic timer (hal/core/aarch64), not a
    # peripheral; the firmware sets its frequency (CNTFRQ_EL0).
    timer="",
    # The firmware's default ARM clock on a Pi 3 Model B; it owns the clock tree.
    fixed_clock_hz=1200 * MHz,
    facts={
        "load_offset": 0x80000,  # the image starts 512 KiB into SDRAM
        "peripheral_base": 0x3F000000,  # device memory from here to 4 GiB
        "uart_hz": 48 * MHz,  # the PL011's clock as the firmware sets it (init_uart_clock)
        "console_af": 0,  # PL011 TXD0/RXD0 are ALT0 of GPIO14/15
        # AArch64 frames are large (printf's variadic frame alone is 272 bytes):
        # at least this much stack whatever an app asks for.
        "min_stack_bytes": 4096,
    },
)
