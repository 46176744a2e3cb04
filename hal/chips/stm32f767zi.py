"""STM32F767ZI (RM0410 rev 4, DS11532): Cortex-M7 at up to 216 MHz with a
double-precision FPU (FPv5-D16), 2 MiB flash, 512 KiB SRAM, LQFP144.

SRAM is DTCM (128 KiB at 0x20000000), SRAM1 (368 KiB) and SRAM2 (16 KiB), one
contiguous range that pyocd's stm32f767zi target also maps as one region. ITCM
RAM (16 KiB at 0) and the flash's ITCM alias (0x00200000) are not used yet."""

from sdk.model import Chip, ClockGate, Core, KiB, Memory, MHz, MiB, Peripheral

APB1, APB2, AHB1 = "apb1", "apb2", "ahb"


def gate(register: str, bit: int) -> ClockGate:
    return ClockGate(register, bit)


# GPIO ports A..K on AHB1, RCC_AHB1ENR bits 0..10. The LQFP144 package brings out
# PA..PG fully and PH0/PH1 (the HSE pins); ports I..K exist but have no pins here.
PORTS = "ABCDEFGHIJK"
GPIO = tuple(Peripheral(f"GPIO{p}", "stm32/gpio", 0x40020000 + 0x400 * i,
                        gate=gate("AHB1ENR", i), bus=AHB1) for i, p in enumerate(PORTS))
PINS = tuple(f"P{p}{n}" for p in "ABCDEFG" for n in range(16)) + ("PH0", "PH1")

CHIP = Chip(
    name="stm32f767zi",
    vendor="STMicroelectronics",
    # 110 maskable interrupts: the last vector is MDIOS at position 109.
    core=Core(isa="armv7e-m", cpu="cortex-m7", fpu="fpv5-d16", mpu=True, irq_count=110),
    memories=(
        Memory("flash", 0x08000000, 2 * MiB, "flash"),
        Memory("sram", 0x20000000, 512 * KiB, "ram"),
    ),
    peripherals=(
        Peripheral("USART1", "stm32/usart_f7", 0x40011000, irq=37,
                   gate=gate("APB2ENR", 4), bus=APB2),
        Peripheral("USART2", "stm32/usart_f7", 0x40004400, irq=38,
                   gate=gate("APB1ENR", 17), bus=APB1),
        Peripheral("USART3", "stm32/usart_f7", 0x40004800, irq=39,
                   gate=gate("APB1ENR", 18), bus=APB1),
        Peripheral("UART4", "stm32/usart_f7", 0x40004C00, irq=52,
                   gate=gate("APB1ENR", 19), bus=APB1),
        Peripheral("UART5", "stm32/usart_f7", 0x40005000, irq=53,
                   gate=gate("APB1ENR", 20), bus=APB1),
        Peripheral("USART6", "stm32/usart_f7", 0x40011400, irq=71,
                   gate=gate("APB2ENR", 5), bus=APB2),
        Peripheral("UART7", "stm32/usart_f7", 0x40007800, irq=82,
                   gate=gate("APB1ENR", 30), bus=APB1),
        Peripheral("UART8", "stm32/usart_f7", 0x40007C00, irq=83,
                   gate=gate("APB1ENR", 31), bus=APB1),
        *GPIO,
        Peripheral("RCC", "stm32/rcc", 0x40023800, irq=5, bus=AHB1),
        Peripheral("FLASH", "stm32/flash_f7", 0x40023C00, irq=4, bus=AHB1),
        Peripheral("PWR", "stm32/pwr", 0x40007000, gate=gate("APB1ENR", 28), bus=APB1),
        Peripheral("ETH", "stm32/eth", 0x40028000, irq=61, gate=gate("AHB1ENR", 25),
                   bus=AHB1),
        Peripheral("RNG", "stm32/rng", 0x50060800, irq=80, gate=gate("AHB2ENR", 6),
                   bus=AHB1),
        Peripheral("SYSTICK", "arm/systick", 0xE000E010),
    ),
    pins=PINS,
    ports={f"P{p}": f"GPIO{p}" for p in PORTS},
    timer="SYSTICK",
    always=("RCC", "FLASH", "PWR"),
    clock_tree="stm32f7",
    facts={
        "hsi_hz": 16 * MHz,
        "sysclk_max": 216 * MHz,
        "apb1_max": 54 * MHz,
        "apb2_max": 108 * MHz,
        # Above 180 MHz the regulator needs over-drive (RM0410 4.1.4).
        "overdrive_above": 180 * MHz,
    },
)
