"""The host: the native board's image is a Linux process. It has no peripherals
to describe; its console is stdio and its memory is the process's."""

from sdk.model import Chip, Core, Memory, MiB

CHIP = Chip(
    name="host",
    vendor="Linux",
    core=Core(isa="host", cpu=""),
    memories=(Memory("process", 0, 64 * MiB, "ram"),),
)
