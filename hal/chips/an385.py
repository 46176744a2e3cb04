"""ARM MPS2 AN385: a Cortex-M3 FPGA image (Application Note AN385), as QEMU's
mps2-an385 machine models it. Code memory at 0 is SSRAM, not flash."""

from sdk.model import Chip, Core, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="an385",
    vendor="ARM",
    core=Core(isa="armv7-m", cpu="cortex-m3", mpu=True, irq_count=32),
    memories=(
        Memory("ssram1", 0x00000000, 4 * MiB, "code-ram"),
        Memory("ssram23", 0x20000000, 4 * MiB, "ram"),
    ),
    peripherals=(
        Peripheral("UART0", "arm/cmsdk_uart", 0x40004000, irq=0),
        Peripheral("UART1", "arm/cmsdk_uart", 0x40005000, irq=2),
        Peripheral("UART2", "arm/cmsdk_uart", 0x40006000, irq=4),
        Peripheral("FPGAIO", "arm/mps2_fpgaio", 0x40028000),
        Peripheral("ETH", "smsc/lan9118", 0x40200000, irq=13),
        Peripheral("SYSTICK", "arm/systick", 0xE000E010),
    ),
    pins=("LED0", "LED1"),
    ports={"LED": "FPGAIO"},
    timer="SYSTICK",
    fixed_clock_hz=25 * MHz,
)
