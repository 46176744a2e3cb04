"""examples/net-echo in QEMU on the mps2 boards (the LAN9118 driver) and on
riscv-virt (the virtio-net driver): our whole stack and the same app source as
native, reached from the host as a user would reach it, through QEMU's
user-mode networking (slirp) and hostfwd ports.

slirp hands out 10.0.2.15 by DHCP; the host talks to 127.0.0.1:<port>, which
slirp forwards to the guest's port 7 (echo, TCP and UDP) and 19 (chargen)."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from sdk.emulate import Console, runner_for
from sdk.errors import ROOT
from sdk.pytest_plugin import SCONS, build_image, free_port
from sdk.target import Target

pytestmark = pytest.mark.qemu

ADDRESS = re.compile(rb"net-echo: address 10\.0\.2\.15/24 gw 10\.0\.2\.2 dns 10\.0\.2\.3")
STATS = re.compile(rb"^stats (.*?)\r?\n", re.M)  # the whole line


@dataclass
class Qemu:
    """The image in QEMU with its console on a TCP socket and host ports forwarded."""

    proc: subprocess.Popen[bytes]
    console: socket.socket
    tcp7: int
    udp7: int
    tcp19: int
    out: bytearray = field(default_factory=bytearray)

    def expect(self, pattern: re.Pattern[bytes], timeout: float) -> re.Match[bytes]:
        deadline = time.monotonic() + timeout
        while True:
            m = pattern.search(self.out)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise AssertionError(f"no {pattern.pattern!r} on the console; it said:\n"
                                     f"{self.out.decode(errors='replace')}")
            self.console.settimeout(min(left, 0.5))
            try:
                chunk = self.console.recv(4096)
            except TimeoutError:
                continue
            if not chunk:
                time.sleep(0.05)
            self.out += chunk

    def command(self, line: str) -> None:
        self.console.sendall(line.encode() + b"\n")


def rng_first(cmd: list[str]) -> list[str]:
    """The virtio-rng device before virtio-net on QEMU's command line: the rng
    then takes the top virtio-mmio slot and the NIC the next one down, so the
    driver must find it by probing."""
    i = cmd.index("virtio-rng-device")
    rest = cmd[:i - 1] + cmd[i + 1:]
    at = rest.index("-netdev")
    return rest[:at] + ["-device", "virtio-rng-device"] + rest[at:]


# riscv-virt/rng-first: the same image, its NIC in another slot; riscv-virt/modern:
# QEMU's modern virtio-mmio (version 2) for both devices, so the driver takes the
# other transport path and the 12-byte virtio-net header.
@pytest.fixture(params=["mps2-an385", "mps2-an500", "riscv-virt", "riscv-virt/rng-first",
                        "riscv-virt/modern"])
def qemu(request: pytest.FixtureRequest) -> Iterator[Qemu]:
    board, _, variant = str(request.param).partition("/")
    elf = build_image(board, "net-echo")  # scons board=... app=net-echo, as a user builds
    t = Target.load(board, "net-echo")
    runner = runner_for(t.board)
    runner.check()
    tcp7, udp7, tcp19 = free_port(), free_port(socket.SOCK_DGRAM), free_port()
    fwd = (f"tcp:127.0.0.1:{tcp7}-:7", f"udp:127.0.0.1:{udp7}-:7", f"tcp:127.0.0.1:{tcp19}-:19")
    with socket.create_server(("127.0.0.1", 0)) as back:
        back.settimeout(15)
        cmd = runner.command(elf, Console(tcp_port=int(back.getsockname()[1])), hostfwd=fwd)
        if variant == "rng-first":
            cmd = rng_first(cmd)
        elif variant == "modern":
            cmd += ["-global", "virtio-mmio.force-legacy=false"]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            conn, _ = back.accept()  # QEMU connects its serial port at start
        except TimeoutError:
            proc.kill()
            err = proc.communicate()[1].decode(errors="replace")
            pytest.fail(f"QEMU did not connect its console: {err.strip()}")
    q = Qemu(proc, conn, tcp7, udp7, tcp19)
    try:
        yield q
    finally:
        conn.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def udp_echo(port: int, payload: bytes) -> bytes:
    """One datagram to the image and its echo; a few tries, since the first may
    race slirp's ARP for the guest."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1.0)
        for _ in range(5):
            s.sendto(payload, ("127.0.0.1", port))
            try:
                return s.recvfrom(2048)[0]
            except TimeoutError:
                continue
    raise AssertionError("no UDP echo in 5 tries")


def tcp_echo(port: int, payload: bytes) -> bytes:
    """Send payload while reading the echo (the image's window is only 8 KiB,
    so a writer that waits for its send to finish first would deadlock)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        writer = threading.Thread(target=s.sendall, args=(payload,), daemon=True)
        writer.start()
        got = bytearray()
        while len(got) < len(payload):
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        writer.join(timeout=10)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(5)
        assert s.recv(1) == b"", "the echo must end when the client closes"
    return bytes(got)


def chargen_expected(n: int) -> bytes:
    """RFC 864's pattern: 95 lines of 72 printable characters, each line
    starting one character later, CR LF after each; it repeats."""
    lines = b"".join(bytes(32 + (line + i) % 95 for i in range(72)) + b"\r\n"
                     for line in range(95))
    return (lines * (n // len(lines) + 1))[:n]


def stats(q: Qemu) -> dict[str, int]:
    q.out.clear()
    q.command("stats")
    m = q.expect(STATS, timeout=10)
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).decode().split())}


def test_net_echo_answers_udp_tcp_and_chargen_through_slirp(qemu: Qemu) -> None:
    qemu.expect(ADDRESS, timeout=20)

    payload = b"apogee over QEMU's NIC " + os.urandom(400)
    assert udp_echo(qemu.udp7, payload) == payload

    data = os.urandom(256 * 1024)
    got = tcp_echo(qemu.tcp7, data)
    assert len(got) == len(data)
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()

    with socket.create_connection(("127.0.0.1", qemu.tcp19), timeout=20) as s:
        want = 64 * 1024
        got_cg = bytearray()
        while len(got_cg) < want:
            chunk = s.recv(65536)
            assert chunk, "chargen closed early"
            got_cg += chunk
    assert bytes(got_cg[:want]) == chargen_expected(want)

    # The driver dropped nothing, and every buffer came back to the pool once
    # the connections were done.
    deadline = time.monotonic() + 10
    s = stats(qemu)
    while s["tcp_free"] != s["tcp_count"] - 3 and time.monotonic() < deadline:
        time.sleep(0.2)
        s = stats(qemu)
    assert s["tcp_free"] == s["tcp_count"] - 3, s  # only the three listeners left
    assert s["pool_free"] == s["pool_count"], s
    assert s["nic_rx_err"] == 0 and s["nic_rx_toolong"] == 0 and s["nic_tx_err"] == 0, s
    assert s["nic_tx_full"] == 0 and s["tx_err"] == 0, s
    assert s["udp_rx"] >= 1 and s["tcp_rx"] > 100, s

    qemu.command("quit")
    assert qemu.proc.wait(timeout=10) == 0  # app_main's 0 (semihosting, SiFive test device)


def test_a_board_without_a_nic_driver_is_refused_with_the_boards_that_have_one() -> None:
    """rpi4 declares its GENET, which has no driver yet: the build stops before
    compiling, with one line naming the boards net-echo does run on."""
    proc = subprocess.run([SCONS, "-Q", "board=rpi4", "app=net-echo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert proc.stderr.strip() == (
        "apogee: error: net-echo uses the network, and rpi4's interface (genet) "
        "has no driver yet; network apps run on: mps2-an385, mps2-an500, native, riscv-virt")
