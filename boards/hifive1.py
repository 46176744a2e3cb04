"""SiFive HiFive1 Rev B: an FE310-G002 with 4 MiB of SPI flash, a 16 MHz crystal,
a 32.768 kHz real-time clock crystal and an RGB LED.

Timer: the CLINT's mtime counts the 32.768 kHz RTC clock on the board. QEMU's
sifive_e machine counts it at 10 MHz instead; this description says 32768 Hz
because it describes the board a payload flies on, and the image tested in QEMU
must be the image flashed. In QEMU, time therefore runs about 305 times fast
(hello's uptime is high, blinky's 250 ms waits are short); the console and the
exit status are the same.

Flashing: through the board's on-board SEGGER J-Link (JLinkExe, or OpenOCD with
the J-Link driver) at 0x20010000, after SiFive's boot loader. pyocd has no FE310
target, so `flash` is not offered here.
"""

from sdk.model import Board, Console, Emulated, Led

BOARD = Board(
    name="hifive1",
    description="SiFive HiFive1 Rev B, FE310-G002 RV32IMAC at 16 MHz (QEMU sifive_e, hardware)",
    vendor="SiFive",
    chip="fe310_g002",
    console=Console(uart="UART0", tx="GPIO17", rx="GPIO16"),
    # The RGB LED is common-anode: a pin low lights its colour.
    leds=(
        Led("green", pin="GPIO19", active_high=False),
        Led("blue", pin="GPIO21", active_high=False),
        Led("red", pin="GPIO22", active_high=False),
    ),
    flash=None,
    emulator=Emulated(qemu="qemu-system-riscv32", machine="sifive_e,revb=true",
                      exit="semihosting"),
    facts={"mtime_hz": 32768},
)
