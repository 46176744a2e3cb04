"""SiFive FE310-G002: an E31 core (RV32IMAC, machine and user modes) with 16 KiB
of data scratchpad, executing in place from an external SPI flash (SiFive
FE310-G002 Manual v1p1, chapter 4 memory map).

The chip has no flash of its own: QSPI0 maps the board's SPI flash at
0x20000000. The code memory below is what HiFive1 Rev B gives an application:
its 4 MiB flash less the first 64 KiB, which hold SiFive's boot loader (it jumps
to 0x20010000; QEMU's sifive_e machine with revb=true starts there too).
"""

from sdk.model import Chip, Core, KiB, Memory, MHz, MiB, Peripheral

# The 19 GPIOs bonded out on the 48-pin package (manual, chapter 17).
GPIOS = (*range(0, 6), *range(9, 14), *range(16, 24))

CHIP = Chip(
    name="fe310_g002",
    vendor="SiFive",
    core=Core(isa="rv32imac", cpu="sifive-e31", irq_count=53),
    memories=(
        Memory("xip", 0x20010000, 4 * MiB - 64 * KiB, "flash"),
        Memory("dtim", 0x80000000, 16 * KiB, "ram"),
    ),
    peripherals=(
        Peripheral("CLINT", "riscv/clint", 0x02000000),
        Peripheral("PRCI", "sifive/prci", 0x10008000),
        Peripheral("GPIO0", "sifive/gpio", 0x10012000),
        # IRQ numbers are PLIC sources (manual, table 8.1).
        Peripheral("UART0", "sifive/uart", 0x10013000, irq=3),
        Peripheral("UART1", "sifive/uart", 0x10023000, irq=4),
    ),
    pins=tuple(f"GPIO{n}" for n in GPIOS),
    ports={"GPIO": "GPIO0"},
    timer="CLINT",
    always=("PRCI",),
    # hal_clock_tree_init (sifive/prci) runs the core and the peripheral bus
    # (tlclk = coreclk) from the 16 MHz crystal oscillator, the PLL bypassed.
    clock_tree="fe310",
    fixed_clock_hz=16 * MHz,
    # UART0's pins are I/O function 0 of GPIO16 (RX) and GPIO17 (TX).
    facts={"console_af": 0},
)
