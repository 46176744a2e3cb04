"""Run an image the way its board description says: in QEMU, or as a process.

Each way is one small class behind one interface (command line, exit status),
chosen by the board's `emulator` description, never by an if per board.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sdk.errors import SdkError
from sdk.model import Board, Emulated

QEMU_PACKAGES = {
    "qemu-system-arm": "qemu-system-arm",
    "qemu-system-aarch64": "qemu-system-arm",
    "qemu-system-riscv32": "qemu-system-misc",
}


@dataclass(frozen=True)
class Console:
    """Where the firmware's console goes: the terminal, or a TCP connection QEMU
    makes to a local port at start (the test harness listens there)."""

    tcp_port: int | None = None


@dataclass(frozen=True)
class Debugger:
    """Start the machine stopped and empty, with QEMU's gdbstub on this port: the
    image arrives through a debugger (pyocd over QEMU) instead of -kernel."""

    gdb_port: int


class Runner:
    def command(self, image: Path, console: Console, hostfwd: tuple[str, ...] = (),
                debugger: Debugger | None = None) -> list[str]:
        raise NotImplementedError

    def check(self) -> None:
        """Fail with the package to install when the emulator is missing."""



class QemuRunner(Runner):
    def __init__(self, emu: Emulated) -> None:
        self.emu = emu

    def check(self) -> None:
        if shutil.which(self.emu.qemu) is None:
            pkg = QEMU_PACKAGES.get(self.emu.qemu, "qemu-system")
            raise SdkError(f"{self.emu.qemu} not found: install the Debian package {pkg} "
                           "(./apogee setup)")

    def command(self, image: Path, console: Console, hostfwd: tuple[str, ...] = (),
                debugger: Debugger | None = None) -> list[str]:
        e = self.emu
        cmd = [e.qemu, "-M", e.machine, "-display", "none", "-monitor", "none"]
        if e.cpu:
            cmd += ["-cpu", e.cpu]
        if console.tcp_port is None:
            cmd += ["-serial", "stdio"]
        else:
            cmd += ["-serial", f"tcp:127.0.0.1:{console.tcp_port}"]
        if e.exit == "semihosting":
            cmd += ["-semihosting-config", "enable=on,target=native"]
        fwd = "".join(f",hostfwd={h}" for h in hostfwd)
        if e.network == "nic":
            cmd += ["-nic", f"user{fwd}"]
        elif e.network == "virtio":
            cmd += ["-netdev", f"user,id=n0{fwd}", "-device", "virtio-net-device,netdev=n0"]
        cmd += list(e.extra)
        if debugger is not None:
            # No -kernel: QEMU's system_reset would restore that image over the
            # one the debugger wrote.
            cmd += ["-S", "-gdb", f"tcp:127.0.0.1:{debugger.gdb_port}"]
        else:
            cmd += ["-kernel", str(image.with_suffix(".bin") if e.load == "bin" else image)]
        return cmd



class ProcessRunner(Runner):
    """The native board: the image is a Linux program."""

    def command(self, image: Path, console: Console, hostfwd: tuple[str, ...] = (),
                debugger: Debugger | None = None) -> list[str]:
        return [str(image)]


def runner_for(board: Board) -> Runner:
    if board.emulator is None:
        raise SdkError(f"board {board.name} runs on hardware only; use `flash`, not `run`")
    if board.emulator.exit == "process":
        return ProcessRunner()
    return QemuRunner(board.emulator)


def run(board: Board, image: Path, timeout: float | None = None) -> int:
    """Run the image with its console on this terminal; return its exit status."""
    r = runner_for(board)
    r.check()
    cmd = r.command(image, Console())
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.stdout.flush()
        print(f"\napogee: {board.name}: stopped after {timeout:g} s (timeout=)", file=sys.stderr)
        return 124
    return proc.returncode
