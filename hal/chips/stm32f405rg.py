"""STM32F405RG (RM0090 rev 19, DS8626): Cortex-M4 with single-precision FPU at up
to 168 MHz, 1 MiB flash, 128 KiB SRAM + 64 KiB CCM, LQFP64. No over-drive and no
Ethernet MAC on the F405.

SRAM1 (112 KiB) and SRAM2 (16 KiB) are one contiguous range at 0x20000000. The
64 KiB CCM data RAM at 0x10000000 is core-only and not given to the linker yet."""

from sdk.model import Chip, ClockGate, Core, KiB, Memory, MHz, MiB, Peripheral

APB1, APB2, AHB1 = "apb1", "apb2", "ahb"


def gate(register: str, bit: int) -> ClockGate:
    return ClockGate(register, bit)


# The F405 has ports A..I (RCC_AHB1ENR bits 0..8). LQFP64 brings out PA0..15,
# PB0..15, PC0..15, PD2 and PH0/PH1 (the HSE pins): 51 I/Os.
PORTS = "ABCDEFGHI"
GPIO = tuple(Peripheral(f"GPIO{p}", "stm32/gpio", 0x40020000 + 0x400 * i,
                        gate=gate("AHB1ENR", i), bus=AHB1) for i, p in enumerate(PORTS))
PINS = tuple(f"P{p}{n}" for p in "ABC" for n in range(16)) + ("PD2", "PH0", "PH1")

CHIP = Chip(
    name="stm32f405rg",
    vendor="STMicroelectronics",
    # 82 maskable interrupts: the last vector is FPU at position 81.
    core=Core(isa="armv7e-m", cpu="cortex-m4", fpu="fpv4-sp-d16", mpu=True, irq_count=82),
    memories=(
        Memory("flash", 0x08000000, 1 * MiB, "flash"),
        Memory("sram", 0x20000000, 128 * KiB, "ram"),
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
        *GPIO,
        Peripheral("RCC", "stm32/rcc", 0x40023800, irq=5, bus=AHB1),
        Peripheral("FLASH", "stm32/flash_f4", 0x40023C00, irq=4, bus=AHB1),
        Peripheral("PWR", "stm32/pwr", 0x40007000, gate=gate("APB1ENR", 28), bus=APB1),
        # HASH_RNG_IRQn: vector 80 (the F405 has no hash processor, only the RNG).
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
        "sysclk_max": 168 * MHz,
        "apb1_max": 42 * MHz,
        "apb2_max": 84 * MHz,
    },
)
