"""Boards: a data-sheet summary of one board.

A board lives in boards/<name>.py as `BOARD = Board(...)`: which chip, the clock
it should run at, which UART is the console and on which pins, the LEDs, the
network interface, and how an image reaches the board (flashed, or emulated).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hse:
    """An external clock: a crystal, or (bypass=True) a clock fed into OSC_IN,
    as the ST-LINK's 8 MHz MCO on Nucleo boards."""

    hz: int
    bypass: bool = False


@dataclass(frozen=True)
class Hsi:
    """The chip's internal RC oscillator."""


@dataclass(frozen=True)
class Console:
    uart: str  # a peripheral of the chip, e.g. "USART3"
    tx: str = ""  # pins; "" where the UART's pins are fixed (emulated UARTs)
    rx: str = ""
    baud: int = 115200


@dataclass(frozen=True)
class Led:
    name: str
    pin: str
    active_high: bool = True


@dataclass(frozen=True)
class PinFunction:
    """A pin given to a peripheral through the pin multiplexer (STM32: alternate
    function number)."""

    pin: str
    function: str  # e.g. "ETH_RMII_REF_CLK", for the reader and for error messages
    af: int = 0


@dataclass(frozen=True)
class NetworkInterface:
    driver: str  # "stm32-eth", "lan9118", "virtio-net", "native-tap", "genet"
    peripheral: str = ""  # the chip's instance, where there is one
    phy: str = ""  # e.g. "LAN8742A"


@dataclass(frozen=True)
class EntropySource:
    """Where hal_entropy() takes its bytes: "getrandom" (the host), "virtio-rng"
    (QEMU virt) or "stm32-rng" (the RNG peripheral). `peripherals` are the chip
    instances the driver may find it at (virtio: every slot it probes at run time).
    A board without one (entropy=None) gets a seed provisioned at build time."""

    driver: str
    peripherals: tuple[str, ...] = ()


@dataclass(frozen=True)
class PyocdFlash:
    """Flashed through a CMSIS-DAP / ST-LINK probe with pyocd's built-in target."""

    target: str


@dataclass(frozen=True)
class PyocdQemuFlash:
    """An emulated Cortex-M board flashed as a real one is, through pyocd, whose
    probe is QEMU's gdbstub: `flash` starts QEMU empty and stopped, pyocd writes
    the image and resets the core, and the console runs here until the firmware
    exits. It exercises the hardware flash path without hardware."""

    timeout_s: int = 60  # the run after flashing ends by then, or flash fails


@dataclass(frozen=True)
class SdCardFlash:
    """Raspberry Pi: the image is written to an SD-card folder (kernel8.img,
    config.txt) that the user copies to the card's FAT partition."""

    kernel: str = "kernel8.img"


@dataclass(frozen=True)
class Uf2Flash:
    """RP2040: a .uf2 file for the USB boot loader, and pyocd for a debug probe."""

    family_id: int
    pyocd_target: str = ""


@dataclass(frozen=True)
class Emulated:
    """How QEMU runs this board's images."""

    qemu: str  # the QEMU binary, e.g. "qemu-system-arm"
    machine: str  # -M
    # How the firmware ends a run: "semihosting" (SYS_EXIT_EXTENDED), "sifive-test"
    # (the test device of QEMU's virt machine), or "process" (native board).
    exit: str = "semihosting"
    # "kernel" passes the ELF with -kernel; "bin" the raw binary.
    load: str = "kernel"
    cpu: str = ""
    extra: tuple[str, ...] = ()
    # How QEMU attaches the board's NIC to user networking: "nic" (-nic user, the
    # machine's built-in NIC) or "virtio" (-netdev + virtio-net-device).
    network: str = ""
    # Blocks the emulator does not model (their registers read 0 and drop writes),
    # e.g. ("rcc", "gpio"): tests expect what the firmware then really does.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    chip: str
    console: Console
    aliases: tuple[str, ...] = ()
    vendor: str = ""
    # STM32 boards name a clock source and a SYSCLK target; the SDK solves the PLL.
    clock_source: Hse | Hsi | None = None
    sysclk_hz: int = 0
    usb_48mhz: bool = False
    leds: tuple[Led, ...] = ()
    pins: tuple[PinFunction, ...] = ()
    network: NetworkInterface | None = None
    entropy: EntropySource | None = None
    flash: PyocdFlash | PyocdQemuFlash | SdCardFlash | Uf2Flash | None = None
    emulator: Emulated | None = None
    # Facts about the board that drivers need, e.g. the timer frequency on HiFive1.
    facts: dict[str, int] = field(default_factory=dict)
