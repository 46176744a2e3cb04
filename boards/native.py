"""The native board: the image is a Linux process, for developing and testing
applications and the network stack on the host. Its network is a TAP device or
user-mode networking (netstack's native backend)."""

from sdk.model import Board, Console, Emulated, EntropySource, NetworkInterface

BOARD = Board(
    name="native",
    description="the host: the image runs as a Linux process (stdio console, TAP network)",
    chip="host",
    console=Console(uart="stdio"),
    network=NetworkInterface(driver="native-tap"),
    entropy=EntropySource("getrandom"),
    emulator=Emulated(qemu="", machine="", exit="process"),
)
