"""ARM MPS2 with the AN385 Cortex-M3 image, as QEMU emulates it."""

from sdk.model import Board, Console, Emulated, Led, NetworkInterface, PyocdQemuFlash

BOARD = Board(
    name="mps2-an385",
    description="ARM MPS2 FPGA board, AN385 Cortex-M3 image (QEMU)",
    vendor="ARM",
    chip="an385",
    console=Console(uart="UART0"),
    leds=(Led("LED0", pin="LED0"), Led("LED1", pin="LED1")),
    network=NetworkInterface(driver="lan9118", peripheral="ETH"),
    # Flashed as a real board is, with pyocd, through QEMU's gdbstub.
    flash=PyocdQemuFlash(),
    emulator=Emulated(qemu="qemu-system-arm", machine="mps2-an385", network="nic"),
)
