"""RP2040 subsystem resets (RP2040 datasheet 2.14.3): one bit per peripheral; a
peripheral is held in reset while its bit is 1 and usable once RESET_DONE says so."""

from sdk.model import Field, Register, RegisterBlock

# Bit of each peripheral in RESET, WDSEL and RESET_DONE (datasheet table 2.14.3).
PERIPHERALS = (
    "ADC", "BUSCTRL", "DMA", "I2C0", "I2C1", "IO_BANK0", "IO_QSPI", "JTAG", "PADS_BANK0",
    "PADS_QSPI", "PIO0", "PIO1", "PLL_SYS", "PLL_USB", "PWM", "RTC", "SPI0", "SPI1",
    "SYSCFG", "SYSINFO", "TBMAN", "TIMER", "UART0", "UART1", "USBCTRL",
)


def _fields(access: str) -> tuple[Field, ...]:
    return tuple(Field(name, bit, access=access) for bit, name in enumerate(PERIPHERALS))


BLOCK = RegisterBlock(
    name="rp2040_resets",
    doc="RP2040 RESETS: peripheral reset control",
    registers=(
        Register("RESET", 0x0, _fields("rw"), reset=0x01FFFFFF, doc="1 holds in reset"),
        Register("WDSEL", 0x4, _fields("rw"), doc="1: the watchdog resets this peripheral"),
        Register("RESET_DONE", 0x8, _fields("ro"), access="ro",
                 doc="1: out of reset and ready"),
    ),
)
