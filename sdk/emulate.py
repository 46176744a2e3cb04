"""Run an image the way its board description says: in QEMU, or as a process.

Each way is one small class behind one interface (command line, exit status),
chosen by the board's `emulator` description, never by an if per board.
"""

from __future__ import annotations

import re
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
        if not hostfwd:
            return [str(image)]
        # Forwards mean user-mode networking: libslirp in the process (no TAP, no
        # root), which takes them as tcp:HOST-GUEST on localhost.
        fwd = ",".join(f"{m.group(1)}:{m.group(2)}-{m.group(3)}"
                       for m in map(_HOSTFWD.fullmatch, hostfwd) if m)
        return [str(image), "--net=slirp", f"--hostfwd={fwd}"]


_HOSTFWD = re.compile(r"(tcp|udp):(?:127\.0\.0\.1:)?(\d{1,5})-:(\d{1,5})")


def parse_hostfwd(spec: str) -> tuple[str, ...]:
    """`tcp:8007-:7,udp:8007-:7` (QEMU's user-mode form, host port first) -> one
    `tcp:127.0.0.1:8007-:7` per forward: the host side listens on localhost only
    (QEMU's own default is every interface, which would expose the device to the
    network). A malformed entry is a one-line error."""
    out: list[str] = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        m = _HOSTFWD.fullmatch(item)
        if m is None or not all(0 < int(p) < 65536 for p in m.group(2, 3)):
            raise SdkError(f"hostfwd: {item!r} is not PROTO:HOSTPORT-:GUESTPORT with PROTO tcp "
                           "or udp and ports 1-65535 (e.g. hostfwd=tcp:8007-:7,udp:8007-:7)")
        out.append(f"{m.group(1)}:127.0.0.1:{m.group(2)}-:{m.group(3)}")
    if not out:
        raise SdkError("hostfwd: no forward given (e.g. hostfwd=tcp:8007-:7)")
    return tuple(out)


def runner_for(board: Board) -> Runner:
    if board.emulator is None:
        raise SdkError(f"board {board.name} runs on hardware only; use `flash`, not `run`")
    if board.emulator.exit == "process":
        return ProcessRunner()
    return QemuRunner(board.emulator)


def run(board: Board, image: Path, timeout: float | None = None,
        hostfwd: tuple[str, ...] = ()) -> int:
    """Run the image with its console on this terminal; return its exit status.
    hostfwd: host ports forwarded to the image's user-mode network (parse_hostfwd)."""
    r = runner_for(board)
    r.check()
    if hostfwd and board.network is None:
        raise SdkError(f"hostfwd: board {board.name} has no network interface")
    cmd = r.command(image, Console(), hostfwd)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.stdout.flush()
        print(f"\napogee: {board.name}: stopped after {timeout:g} s (timeout=)", file=sys.stderr)
        return 124
    return proc.returncode
