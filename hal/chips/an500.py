"""ARM MPS2 AN500: a Cortex-M7 FPGA image (Application Note AN500), as QEMU's
mps2-an500 machine models it. Same APB peripherals as AN385; the Ethernet
controller moves to 0xA0000000."""

from sdk.model import Chip, Core, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="an500",
    vendor="ARM",
    core=Core(isa="armv7e-m", cpu="cortex-m7", fpu="fpv5-d16", mpu=True, irq_count=32),
    memories=(
        Memory("ssram1", 0x00000000, 4 * MiB, "code-ram"),
        Memory("ssram23", 0x20000000, 4 * MiB, "ram"),
    ),
    peripherals=(
        Peripheral("UART0", "arm/cmsdk_uart", 0x40004000, irq=0),
        Peripheral("UART1", "arm/cmsdk_uart", 0x40005000, irq=2),
        Peripheral("UART2", "arm/cmsdk_uart", 0x40006000, irq=4),
        Peripheral("FPGAIO", "arm/mps2_fpgaio", 0x40028000),
        Peripheral("ETH", "smsc/lan9118", 0xA0000000, irq=13),
        Peripheral("SYSTICK", "arm/systick", 0xE000E010),
    ),
    pins=("LED0", "LED1"),
    ports={"LED": "FPGAIO"},
    timer="SYSTICK",
    fixed_clock_hz=25 * MHz,
)
