"""QEMU's generic RISC-V `virt` machine, 32-bit (RV32IMAC), started without firmware."""

from sdk.model import Board, Console, Emulated, EntropySource, NetworkInterface

BOARD = Board(
    name="riscv-virt",
    description="QEMU virt, RV32IMAC in machine mode, NS16550 console, virtio-net (QEMU)",
    vendor="QEMU",
    chip="qemu_virt_rv32",
    console=Console(uart="UART0"),
    # QEMU virt has no GPIO block and so no LEDs: blinky says so and ends.
    leds=(),
    # virtio-net (hal/virtio/net/): the driver probes every virtio-mmio slot the
    # chip's facts describe for device id 1, so it names no peripheral.
    network=NetworkInterface(driver="virtio-net"),
    # virtio-rng, in whichever virtio-mmio slot QEMU gives it (the driver probes).
    entropy=EntropySource("virtio-rng", peripherals=tuple(f"VIRTIO{i}" for i in range(8))),
    emulator=Emulated(
        qemu="qemu-system-riscv32",
        machine="virt",
        exit="sifive-test",
        # Debian ships only the 64-bit OpenSBI: the image is the firmware, in M-mode.
        extra=("-bios", "none", "-device", "virtio-rng-device"),
        network="virtio",
    ),
)
