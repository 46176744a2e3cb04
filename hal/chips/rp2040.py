"""Raspberry Pi RP2040: two Cortex-M0+ cores (ARMv6-M; the HAL runs on core 0),
264 KiB of SRAM, and no flash of its own: the XIP SSI maps an external QSPI
flash at 0x10000000 (RP2040 datasheet 2.2, address map).

Flash: the code memory below is the Pico's 2 MiB W25Q16JV. Every image starts
with the 256-byte second-stage boot block (sdk/rp2040_boot2.py), so the vector
table is at 0x10000100, where that block enters the image.
SRAM: banks 0-3 are striped over 0x20000000-0x2003FFFF; banks 4 and 5 follow.
"""

from sdk.model import Chip, Core, KiB, Memory, MHz, MiB, Peripheral

CHIP = Chip(
    name="rp2040",
    vendor="Raspberry Pi",
    core=Core(isa="armv6-m", cpu="cortex-m0plus", irq_count=26),
    memories=(
        Memory("flash", 0x10000000, 2 * MiB, "flash"),
        Memory("sram0_3", 0x20000000, 256 * KiB, "ram"),
        Memory("sram4_5", 0x20040000, 8 * KiB, "ram"),
    ),
    peripherals=(
        Peripheral("XIP_SSI", "rp2040/ssi", 0x18000000, irq=6),
        Peripheral("CLOCKS", "rp2040/clocks", 0x40008000, irq=17),
        Peripheral("RESETS", "rp2040/resets", 0x4000C000),
        Peripheral("IO_BANK0", "rp2040/io_bank0", 0x40014000, irq=13),
        Peripheral("XOSC", "rp2040/xosc", 0x40024000),
        Peripheral("PLL_SYS", "rp2040/pll", 0x40028000),
        Peripheral("PLL_USB", "rp2040/pll", 0x4002C000),
        Peripheral("UART0", "arm/pl011", 0x40034000, irq=20, bus="peri"),
        Peripheral("UART1", "arm/pl011", 0x40038000, irq=21, bus="peri"),
        Peripheral("TIMER", "rp2040/timer", 0x40054000, irq=0),
        Peripheral("WATCHDOG", "rp2040/watchdog", 0x40058000),
        Peripheral("SIO", "rp2040/sio", 0xD0000000, irq=15),
    ),
    pins=tuple(f"GPIO{n}" for n in range(30)),
    ports={"GPIO": "SIO"},
    timer="TIMER",
    # Start-up: the boot block (XIP_SSI's folder places it), resets, the clock tree.
    always=("XIP_SSI", "RESETS", "XOSC", "PLL_SYS", "CLOCKS", "WATCHDOG", "IO_BANK0"),
    # hal_clock_tree_init (rp2040/clocks): XOSC 12 MHz -> PLL_SYS -> 125 MHz
    # clk_sys, and clk_peri = clk_sys for the UARTs.
    clock_tree="rp2040",
    fixed_clock_hz=125 * MHz,
    facts={
        "xosc_hz": 12 * MHz,  # the crystal every RP2040 design uses (Pico: 12 MHz)
        "peri_hz": 125 * MHz,
        "console_af": 2,  # IO_BANK0 FUNCSEL 2: UART0 TX on GPIO0, RX on GPIO1
        "boot2_bytes": 256,  # the image starts with the second-stage boot block
    },
)
