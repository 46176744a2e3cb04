"""`scons ... run hostfwd=...`: a network app run the way a user runs it, reached
from the host through forwarded localhost ports (QEMU's user-mode network on an
emulated board, libslirp in the process on native: no TAP, no root)."""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from sdk.errors import ROOT
from sdk.pytest_plugin import free_port
from tests.firmware.test_net_echo_qemu import udp_echo
from tests.sdk.conftest import SCONS, assert_one_line_error, scons


@pytest.mark.parametrize("board", ["native", pytest.param("mps2-an385", marks=pytest.mark.qemu)])
def test_run_forwards_host_ports_to_the_app(board: str) -> None:
    built = scons(f"board={board}", "app=net-echo", timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    udp, tcp = free_port(socket.SOCK_DGRAM), free_port()
    proc = subprocess.Popen(
        [sys.executable, SCONS, "-Q", f"board={board}", "app=net-echo", "run", "timeout=60",
         f"hostfwd=udp:{udp}-:7,tcp:{tcp}-:7"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)  # scons and the emulator it started stop together
    out = bytearray()
    stdout = proc.stdout
    assert stdout is not None

    def read() -> None:
        while chunk := stdout.read1(4096):
            out.extend(chunk)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while not re.search(rb"net-echo: address 10\.0\.2\.15/24", out):
            assert proc.poll() is None and time.monotonic() < deadline, out.decode()
            time.sleep(0.1)
        payload = os.urandom(300)
        assert udp_echo(udp, payload) == payload
        with socket.create_connection(("127.0.0.1", tcp), timeout=20) as s:
            s.sendall(b"hello, forwarded port\n")
            got = b""
            while len(got) < 22:
                chunk = s.recv(100)
                assert chunk, "the echo closed early"
                got += chunk
            assert got == b"hello, forwarded port\n"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize(("arg", "words"), [
    ("hostfwd=tcp:8007:7", ("hostfwd:", "PROTO:HOSTPORT-:GUESTPORT")),
    ("hostfwd=tcp:8007-:70000", ("hostfwd:", "ports 1-65535")),
    ("hostfwd=", ("hostfwd: no forward given",)),
    ("timeout=soon", ("timeout=soon", "seconds")),
])
def test_bad_run_options_are_one_line_errors(arg: str, words: tuple[str, ...]) -> None:
    assert_one_line_error(scons("board=mps2-an385", "app=hello", "run", arg), *words)


def test_hostfwd_on_a_board_without_a_network_is_refused() -> None:
    assert_one_line_error(scons("board=hifive1", "app=hello", "run", "hostfwd=tcp:8007-:7"),
                          "hifive1 has no network interface")


def test_an_idle_native_image_sleeps() -> None:
    """`scons run` gives the image /dev/null as its console input, which is always
    readable: a backend that waited on it would spin a core at 100 %. Three
    seconds idle on libslirp must cost a small part of that in CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    fwd = f"hostfwd=udp:{free_port(socket.SOCK_DGRAM)}-:7"
    proc = scons("board=native", "app=net-echo", "run", "timeout=3", fwd, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert "stopped after 3 s" in proc.stderr, proc.stdout + proc.stderr
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert used < 1.5, f"{used:.2f} s of CPU in 3 s idle"
