"""STM32F429ZI (RM0090 rev 19, DS9405): Cortex-M4 with single-precision FPU at up
to 180 MHz, 2 MiB flash (two banks), 192 KiB SRAM + 64 KiB CCM, LQFP144.

SRAM1 (112 KiB), SRAM2 (16 KiB) and SRAM3 (64 KiB) are one contiguous range at
0x20000000, as pyocd's stm32f429xi target maps it. The 64 KiB CCM data RAM at
0x10000000 is core-only (no DMA) and not given to the linker yet."""

from sdk.model import Chip, ClockGate, Core, KiB, Memory, MHz, MiB, Peripheral

APB1, APB2, AHB1 = "apb1", "apb2", "ahb"


def gate(register: str, bit: int) -> ClockGate:
    return ClockGate(register, bit)


PORTS = "ABCDEFGHIJK"
GPIO = tuple(Peripheral(f"GPIO{p}", "stm32/gpio", 0x40020000 + 0x400 * i,
                        gate=gate("AHB1ENR", i), bus=AHB1) for i, p in enumerate(PORTS))
# LQFP144: PA..PG fully, PH0/PH1 (the HSE pins).
PINS = tuple(f"P{p}{n}" for p in "ABCDEFG" for n in range(16)) + ("PH0", "PH1")

CHIP = Chip(
    name="stm32f429zi",
    vendor="STMicroelectronics",
    # 91 maskable interrupts: the last vector is DMA2D at position 90.
    core=Core(isa="armv7e-m", cpu="cortex-m4", fpu="fpv4-sp-d16", mpu=True, irq_count=91),
    memories=(
        Memory("flash", 0x08000000, 2 * MiB, "flash"),
        Memory("sram", 0x20000000, 192 * KiB, "ram"),
    ),
    peripherals=(
        Peripheral("USART1", "stm32/usart_f4", 0x40011000, irq=37,
                   gate=gate("APB2ENR", 4), bus=APB2),
        Peripheral("USART2", "stm32/usart_f4", 0x40004400, irq=38,
                   gate=gate("APB1ENR", 17), bus=APB1),
        Peripheral("USART3", "stm32/usart_f4", 0x40004800, irq=39,
                   gate=gate("APB1ENR", 18), bus=APB1),
        Peripheral("UART4", "stm32/usart_f4", 0x40004C00, irq=52,
                   gate=gate("APB1ENR", 19), bus=APB1),
        Peripheral("UART5", "stm32/usart_f4", 0x40005000, irq=53,
                   gate=gate("APB1ENR", 20), bus=APB1),
        Peripheral("USART6", "stm32/usart_f4", 0x40011400, irq=71,
                   gate=gate("APB2ENR", 5), bus=APB2),
        Peripheral("UART7", "stm32/usart_f4", 0x40007800, irq=82,
                   gate=gate("APB1ENR", 30), bus=APB1),
        Peripheral("UART8", "stm32/usart_f4", 0x40007C00, irq=83,
                   gate=gate("APB1ENR", 31), bus=APB1),
        *GPIO,
        Peripheral("RCC", "stm32/rcc", 0x40023800, irq=5, bus=AHB1),
        Peripheral("FLASH", "stm32/flash_f4", 0x40023C00, irq=4, bus=AHB1),
        Peripheral("PWR", "stm32/pwr", 0x40007000, gate=gate("APB1ENR", 28), bus=APB1),
        Peripheral("ETH", "stm32/eth", 0x40028000, irq=61, gate=gate("AHB1ENR", 25),
                   bus=AHB1),
        # HASH_RNG_IRQn: the RNG shares vector 80 with the hash processor.
        Peripheral("RNG", "stm32/rng", 0x50060800, irq=80, gate=gate("AHB2ENR", 6),
                   bus=AHB1),
        Peripheral("SYSTICK", "arm/systick", 0xE000E010),
    ),
    pins=PINS,
    ports={f"P{p}": f"GPIO{p}" for p in PORTS},
    timer="SYSTICK",
    always=("RCC", "FLASH", "PWR"),
    clock_tree="stm32f4",
    facts={
        "hsi_hz": 16 * MHz,
        "sysclk_max": 180 * MHz,
        "apb1_max": 45 * MHz,
        "apb2_max": 90 * MHz,
        # Above 168 MHz the regulator needs over-drive (RM0090 5.1.4).
        "overdrive_above": 168 * MHz,
    },
)
