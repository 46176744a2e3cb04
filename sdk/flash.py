"""Put an image on a real board, the way its description says.

Each method is one small class behind one interface; the board's `flash` field
picks it. No if/elif chain per protocol.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from pathlib import Path
from typing import Protocol

from sdk.errors import SdkError, rel
from sdk.model import PyocdFlash, PyocdQemuFlash, SdCardFlash, Uf2Flash
from sdk.target import Target


class Flasher(Protocol):
    def flash(self, t: Target, elf: Path, probe: str | None) -> tuple[str, int]:
        """Flash; return a one-line account of what was done and, where the board
        is an emulator that runs to an end, the firmware's exit status (else 0)."""
        ...


def _pyocd_program(target_name: str, image: Path, probe: str | None) -> str:
    """Write image through the probe with pyocd's Python API and reset the core."""
    # pyocd logs "No connected debug probes" in colour on its own; we say it once,
    # in our words, as an error.
    logging.getLogger("pyocd").setLevel(logging.CRITICAL)
    from pyocd.core.helpers import ConnectHelper
    from pyocd.flash.file_programmer import FileProgrammer

    # blocking=False: with no probe attached this returns None at once instead of
    # waiting for one to be plugged in.
    session = ConnectHelper.session_with_chosen_probe(
        blocking=False, target_override=target_name, unique_id=probe,
        options={"frequency": 4_000_000},
    )
    if session is None:
        which = f"with id {probe}" if probe else "(none found on USB)"
        raise SdkError(f"no debug probe attached {which}: connect the board, or name one "
                       "with probe=<unique id> (pyocd list shows them)")
    with session:
        FileProgrammer(session).program(str(image))
        session.board.target.reset()
        return f"flashed {rel(image)} to {target_name} through probe {session.probe.unique_id}"


class PyocdFlasher:
    def __init__(self, method: PyocdFlash) -> None:
        self.method = method

    def flash(self, t: Target, elf: Path, probe: str | None) -> tuple[str, int]:
        return _pyocd_program(self.method.target, elf.with_suffix(".hex"), probe), 0


class PyocdQemuFlasher:
    """pyocd over QEMU: the board's QEMU, started empty and stopped, is the probe."""

    def __init__(self, method: PyocdQemuFlash) -> None:
        self.method = method

    def flash(self, t: Target, elf: Path, probe: str | None) -> tuple[str, int]:
        from sdk import emulate, pyocd_qemu

        runner = emulate.runner_for(t.board)
        runner.check()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        cmd = runner.command(elf, emulate.Console(), debugger=emulate.Debugger(port))
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        try:
            _wait_for_port(port, qemu)
            target_name = pyocd_qemu.register(t.chip)
            account = _pyocd_program(target_name, elf, f"qemu:127.0.0.1:{port}")
            status = qemu.wait(timeout=self.method.timeout_s)
        except subprocess.TimeoutExpired:
            raise SdkError(f"{t.board.name}: the firmware did not end within "
                           f"{self.method.timeout_s} s of flashing") from None
        finally:
            if qemu.poll() is None:
                qemu.kill()
                qemu.wait()
        return account, status


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], limit: float = 10) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SdkError(f"QEMU ended before its gdbstub opened (status {proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SdkError(f"QEMU's gdbstub did not open port {port}")


class SdCardFlasher:
    def __init__(self, method: SdCardFlash) -> None:
        self.method = method

    def flash(self, t: Target, elf: Path, probe: str | None) -> tuple[str, int]:
        from sdk import sdcard

        folder = sdcard.write(elf, t.board, t.chip)
        return (f"wrote the SD-card folder {rel(folder)}: copy its files to the card's "
                "FAT partition"), 0


class Uf2Flasher:
    def __init__(self, method: Uf2Flash) -> None:
        self.method = method

    def flash(self, t: Target, elf: Path, probe: str | None) -> tuple[str, int]:
        from sdk import uf2

        out = uf2.write(elf, t.board, t.chip)
        if probe and self.method.pyocd_target:
            return _pyocd_program(self.method.pyocd_target, elf.with_suffix(".hex"), probe), 0
        return (f"wrote {rel(out)}: hold BOOTSEL while plugging the board in and copy the "
                "file to the RPI-RP2 drive (or give probe=<id> to flash through a probe)"), 0


def flasher_for(t: Target) -> Flasher:
    m = t.board.flash
    if isinstance(m, PyocdFlash):
        return PyocdFlasher(m)
    if isinstance(m, PyocdQemuFlash):
        return PyocdQemuFlasher(m)
    if isinstance(m, SdCardFlash):
        return SdCardFlasher(m)
    if isinstance(m, Uf2Flash):
        return Uf2Flasher(m)
    how = "its description names no flash method the SDK drives"
    if t.board.emulator:
        how += f"; run it in emulation with `scons board={t.board.name} run`"
    raise SdkError(f"board {t.board.name} is not flashed by the SDK: {how}")


def flash(t: Target, elf: Path, probe: str | None = None) -> int:
    """Flash the image; return the firmware's exit status where the board is an
    emulator that runs to an end (pyocd over QEMU), else 0."""
    account, status = flasher_for(t).flash(t, elf, probe)
    print(f"apogee: {account}")
    return status
