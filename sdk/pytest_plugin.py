"""pytest plugin: one test file runs against QEMU and against a real board.

A test names a board and an app and talks to the firmware through pytest-embedded's
`dut` (serial over a TCP socket to QEMU, or the board's serial port):

    @pytest.mark.parametrize("board", ["mps2-an385", "rpi3"])
    @pytest.mark.parametrize("firmware", ["hello"])
    def test_hello(dut, board, firmware_run):
        dut.expect_exact(f"hello from {board}")
        assert firmware_run.wait() == 0

The plugin builds the image with scons, then provides pytest-embedded's `port`:
for an emulated board it starts QEMU (or the native process) with its console on a
local TCP socket; with --hil-port it flashes the attached board (pyocd) and hands
over the board's serial port. A board without an emulator and no --hil-port is
skipped with a reason, not failed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import termios
import threading
import time
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdk.emulate import Console, runner_for
from sdk.errors import ROOT
from sdk.target import Target

SCONS = str(Path(sys.executable).with_name("scons"))


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("apogee")
    g.addoption("--hil-port", default=None,
                help="serial port of an attached board: run firmware tests on hardware")
    g.addoption("--hil-board", default=None,
                help="which board is attached (tests for other boards are skipped)")
    g.addoption("--probe", default=None, help="debug probe unique id for flashing (pyocd)")


def build_image(board: str, app: str) -> Path:
    """Build with scons as a user would; fail the test with scons's own message."""
    proc = subprocess.run([SCONS, "-Q", f"board={board}", f"app={app}"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"scons board={board} app={app} failed:\n{proc.stdout}{proc.stderr}")
    t = Target.load(board, app)
    return ROOT / "build" / t.board.name / t.app.name / f"{t.app.name}.elf"


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """A localhost port nothing listens on now (TCP, or UDP with SOCK_DGRAM)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ConsoleRelay:
    """Carries the firmware's console between the firmware (QEMU's serial socket or
    the native process's stdio) and a pseudo-terminal that pytest-embedded opens
    like any serial port.

    Why a pty and not a socket:// URL: pyserial reads a socket one byte per poll
    (its in_waiting is 0 or 1), about 20 bytes a second under pytest-embedded,
    while a tty reports every waiting byte. The pty also stays open after the
    firmware ends, so pytest-embedded never sees a dropped port, and the kernel
    buffers what the firmware says before the test opens it.
    """

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # bytes as they are: no echo, no CR/LF translation
        attrs = termios.tcgetattr(self._slave)
        attrs[4] = attrs[5] = termios.B50  # a speed no client asks for: see _wait_opened
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.port = os.ttyname(self._slave)
        self._closed = False

    def _wait_opened(self, limit: float = 30.0) -> None:
        """Hold the firmware's output until the test has opened the port.

        pyserial flushes a port's input when it opens it, which would drop what the
        firmware said first. Opening sets the line speed, so a change from B50 says
        the client is in open(); the short grace covers the flush that follows."""
        deadline = time.monotonic() + limit
        while not self._closed and time.monotonic() < deadline:
            if termios.tcgetattr(self._slave)[5] != termios.B50:
                time.sleep(0.2)
                return
            time.sleep(0.01)

    def pump(self, read: Callable[[], bytes], write: Callable[[bytes], None]) -> None:
        """Forward the firmware's output until it ends, and the test's input to it."""

        def out_loop() -> None:
            self._wait_opened()
            while not self._closed:
                try:
                    data = read()
                except OSError:
                    return
                if not data:
                    return
                os.write(self.master, data)

        def in_loop() -> None:
            while not self._closed:
                try:
                    data = os.read(self.master, 4096)
                    write(data)
                except OSError:
                    return

        threading.Thread(target=out_loop, daemon=True).start()
        threading.Thread(target=in_loop, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass


@dataclass
class FirmwareRun:
    """The running firmware: where its console is, and its exit status once it ends."""

    board: str
    port: str = ""
    proc: subprocess.Popen[bytes] | None = None
    hardware: bool = False
    relay: ConsoleRelay | None = None

    def wait(self, timeout: float = 30) -> int:
        if self.proc is None:
            raise RuntimeError("firmware on hardware has no exit status")
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.relay:
            self.relay.close()


def start_emulated(t: Target, elf: Path) -> FirmwareRun:
    """Start the image in its emulator with the console behind a relay."""
    runner = runner_for(t.board)
    runner.check()
    relay = ConsoleRelay()
    run = FirmwareRun(t.board.name, port=relay.port, relay=relay)
    assert t.board.emulator is not None
    if t.board.emulator.exit == "process":
        proc = subprocess.Popen(runner.command(elf, Console()), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        assert proc.stdout is not None and proc.stdin is not None
        stdin = proc.stdin

        def write(data: bytes) -> None:
            stdin.write(data)

        out_fd = proc.stdout.fileno()
        relay.pump(lambda: os.read(out_fd, 4096), write)
        run.proc = proc
        return run
    with socket.create_server(("127.0.0.1", 0)) as back:
        back.settimeout(15)
        cmd = runner.command(elf, Console(tcp_port=int(back.getsockname()[1])))
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        run.proc = proc
        try:
            conn, _ = back.accept()  # QEMU connects its serial port at start
        except TimeoutError:
            run.stop()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"QEMU did not connect its console: {err.strip()}") from None
    def send(data: bytes) -> None:
        try:
            conn.sendall(data)
        except OSError:
            pass  # the firmware has ended; input to it goes nowhere

    relay.pump(lambda: conn.recv(4096), send)
    return run


@pytest.fixture
def board(request: pytest.FixtureRequest) -> str:
    """The board a firmware test runs on; tests parametrize it."""
    return str(request.config.getoption("--hil-board") or "mps2-an385")


@pytest.fixture
def firmware() -> str:
    """The app a firmware test runs; tests parametrize it."""
    return "hello"


@pytest.fixture
def firmware_run(
    request: pytest.FixtureRequest, board: str, firmware: str
) -> Iterator[FirmwareRun]:
    """Build the image, then run it: flashed on the attached board with --hil-port,
    otherwise in its emulator."""
    hil_port = request.config.getoption("--hil-port")
    hil_board = request.config.getoption("--hil-board")
    t = Target.load(board, firmware)
    elf = build_image(board, firmware)
    if hil_port and hil_board in (None, board, t.board.name):
        from sdk import flash

        flash.flash(t, elf, probe=request.config.getoption("--probe"))
        yield FirmwareRun(board, port=hil_port, hardware=True)
        return
    if t.board.emulator is None:
        pytest.skip(f"{board} runs on hardware only: attach it and pass --hil-port")
    run = start_emulated(t, elf)
    try:
        yield run
    finally:
        run.stop()


@pytest.fixture
def port(request: pytest.FixtureRequest) -> str | None:
    """pytest-embedded's serial port, pointed at the firmware under test.

    pytest-embedded asks for `port` in an autouse fixture of every test; only a
    test that uses `dut` gets firmware built and started for it."""
    if "dut" not in request.fixturenames:
        return None
    run: FirmwareRun = request.getfixturevalue("firmware_run")
    return run.port
