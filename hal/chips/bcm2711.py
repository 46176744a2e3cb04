"""Broadcom BCM2711 (Raspberry Pi 4): four Cortex-A72 cores (ARMv8-A, AArch64),
in the firmware's default "low peripheral" mode: the main peripherals at
0xFE000000 (BCM2711 ARM Peripherals 1.2.4, legacy bus address 0x7Exxxxxx), the
ARM local peripherals and the GIC-400 above 0xFF800000.

The firmware loads the image at 0x80000 (config.txt kernel_address) and starts
core 0 at EL2. Every Pi 4 has at least 1 GiB of SDRAM at 0, of which the ARM
owns at least the lowest 512 MiB with any gpu_mem setting up to 512 MB.
"""

from sdk.model import Chip, Core, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="bcm2711",
    vendor="Broadcom",
    core=Core(isa="armv8-a", cpu="cortex-a72", irq_count=256),
    memories=(Memory("sdram", 0x00000000, 512 * MiB, "ram"),),
    peripherals=(
        Peripheral("GPIO", "bcm/gpio", 0xFE200000),
        # IRQ: the GIC-400 interrupt ID (SPI 121 = VideoCore interrupt 57, + 32).
        Peripheral("UART0", "arm/pl011", 0xFE201000, irq=153, bus="uart"),
    ),
    pins=tuple(f"GPIO{n}" for n in range(58)),
    ports={"GPIO": "GPIO"},
    timer="",  # the core's generic timer (hal/core/aarch64); CNTFRQ 54 MHz
    # The firmware's default ARM clock on a Pi 4 Model B; it owns the clock tree.
    fixed_clock_hz=1500 * MHz,
    facts={
        "load_offset": 0x80000,
        "peripheral_base": 0xFC000000,  # device memory from here to 4 GiB
        "uart_hz": 48 * MHz,  # the PL011's clock as the firmware sets it
        "console_af": 0,  # PL011 TXD0/RXD0 are ALT0 of GPIO14/15
        "min_stack_bytes": 4096,  # AArch64 frames are large, as on BCM2837
    },
)
