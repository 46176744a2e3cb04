"""Network-namespace plumbing for the TCP tests: a namespace with a TUN device whose
far end is the TCP core (tests/tcp/tun_harness.c), and a way to open Linux sockets
inside that namespace from the test process itself."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hostc import build_program

CLONE_NEWNET = 0x40000000
LINUX_IP = "10.9.0.1"
CORE_IP = "10.9.0.2"
SOCKETS = 80
LISTENERS = 3  # the harness's serve mode listens on 7, 9 and 13

HARNESS_DEFINES = [
    f"APOGEE_TCP_SOCKETS={SOCKETS}",
    "APOGEE_TCP_SNDBUF=65536",
    "APOGEE_TCP_RCVBUF=65536",
    "APOGEE_TCP_BACKLOG=64",
    "APOGEE_TCP_MSL_MS=500",
]


def need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("netns tests need root (network namespaces and TUN devices)")
    if not Path("/dev/net/tun").exists():
        pytest.skip("/dev/net/tun is missing")
    if shutil.which("ip") is None:
        pytest.skip("iproute2 (ip) is not installed")


def build_harness(sanitize: str = "") -> Path:
    src = sorted(str(p.relative_to(Path(__file__).resolve().parents[2]))
                 for p in (Path(__file__).resolve().parents[2] / "netstack/tcp").glob("*.c"))
    return build_program(
        "tcp_tun_harness" + (f"_{sanitize}" if sanitize else ""),
        ["tests/tcp/tun_harness.c", *src],
        include=["netstack/tcp"],
        defines=HARNESS_DEFINES,
        sanitize=sanitize,
    )


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, text=True)


@dataclass
class Netns:
    name: str
    procs: list[subprocess.Popen[str]] = field(default_factory=list)

    @contextmanager
    def inside(self) -> Iterator[None]:
        """Run the body in the namespace: sockets created there stay there."""
        libc = ctypes.CDLL(None, use_errno=True)
        orig = os.open(f"/proc/self/task/{os.getpid()}/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
        try:
            if libc.setns(target, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns into the test namespace failed")
            try:
                yield
            finally:
                libc.setns(orig, CLONE_NEWNET)
        finally:
            os.close(orig)
            os.close(target)

    def exec(self, *cmd: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ip", "netns", "exec", self.name, *cmd],
                              capture_output=True, text=True, timeout=timeout)

    def start_core(self, harness: Path, *args: str) -> Core:
        p = subprocess.Popen(
            ["ip", "netns", "exec", self.name, str(harness), "--tun", "apg0",
             "--ip", CORE_IP, *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(p)
        assert p.stdout is not None
        # byte by byte from the descriptor: a buffered readline could swallow lines
        # that communicate() (which reads the descriptor itself) would then miss
        raw = b""
        while not raw.endswith(b"\n"):
            c = os.read(p.stdout.fileno(), 1)
            if not c:
                break
            raw += c
        line = raw.decode(errors="replace")
        assert line.strip() == "READY", f"harness did not start: {line!r}"
        return Core(p)


@dataclass
class Core:
    """The TCP core running behind the TUN device."""
    proc: subprocess.Popen[str]
    stats: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    free: int = -1

    def _parse(self, out: str) -> None:
        for ln in out.splitlines():
            self.lines.append(ln)
            parts = ln.split()
            if len(parts) == 3 and parts[0] == "STAT":
                self.stats[parts[1]] = int(parts[2])
            elif len(parts) == 2 and parts[0] == "FREE":
                self.free = int(parts[1])

    def stop(self) -> Core:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=20)
        self._parse(out)
        return self

    def wait(self, timeout: float) -> int:
        out, _ = self.proc.communicate(timeout=timeout)
        self._parse(out)
        return self.proc.returncode


@contextmanager
def netns(tag: str) -> Iterator[Netns]:
    """A fresh namespace with lo up and a TUN device apg0 (Linux side LINUX_IP/24);
    removed, with every process started in it, whatever happens."""
    need_root()
    name = f"apgtcp{os.getpid()}{tag}"
    subprocess.run(["ip", "netns", "del", name], capture_output=True)
    ns = Netns(name)
    try:
        _run("ip", "netns", "add", name)
        _run("ip", "-n", name, "link", "set", "lo", "up")
        _run("ip", "-n", name, "tuntap", "add", "dev", "apg0", "mode", "tun")
        _run("ip", "-n", name, "addr", "add", f"{LINUX_IP}/24", "dev", "apg0")
        _run("ip", "-n", name, "link", "set", "apg0", "up")
        yield ns
    finally:
        for p in ns.procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def wait_for(pred, timeout: float, step: float = 0.05) -> bool:  # noqa: ANN001
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()
