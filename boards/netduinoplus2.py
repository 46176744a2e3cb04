"""Wilderness Labs Netduino Plus 2: STM32F405RG with a 25 MHz crystal, as QEMU's
netduinoplus2 machine emulates it.

Console: USART1, which QEMU connects to serial0. On the board, USART1's usual pins
PA9/PA10 collide with the user LED (blue, on PA10), so the console takes USART1's
other pins, PB6 (TX) and PB7 (RX), both AF7, and PA10 stays the LED's.

What QEMU 7.2 provides (measured by tests/boards/test_stm32.py): the USARTs and a
SysTick counting at 168 MHz, but no RCC, FLASH, PWR or GPIO model -- those
addresses read 0 and drop writes. The clock driver sees an RCC that does not
respond, leaves the clock alone and says so on the console; the GPIO driver says
the LED's port does not respond, and blinky then reads every "on" back as off.
Nor is there an RNG model: hal_entropy waits a bounded time for DRDY and
returns APG_ETIMEDOUT (examples/rng then says so and exits 1)."""

from sdk.model import Board, Console, Emulated, EntropySource, Hse, Led, MHz

BOARD = Board(
    name="netduinoplus2",
    aliases=("stm32f4",),
    description="Netduino Plus 2, STM32F405RG (Cortex-M4F, 168 MHz) (QEMU)",
    vendor="Wilderness Labs",
    chip="stm32f405rg",
    clock_source=Hse(25 * MHz),
    sysclk_hz=168 * MHz,
    console=Console(uart="USART1", tx="PB6", rx="PB7", baud=115200),
    leds=(Led("LED", pin="PA10"),),
    entropy=EntropySource("stm32-rng", peripherals=("RNG",)),
    emulator=Emulated(qemu="qemu-system-arm", machine="netduinoplus2",
                      missing=("rcc", "flash", "pwr", "gpio", "rng")),
    facts={"console_af": 7},
)
