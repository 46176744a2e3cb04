"""Network namespaces with a TAP device, and the native net-echo image attached.

Each Lab is one namespace `apg<pid>n<k>` holding a TAP device `tap0` with the Linux
side at 10.0.0.1/24; the image runs inside it (`ip netns exec`), attached to the
TAP, so it and Linux talk over a real Ethernet between two real stacks. Everything
is removed on exit, test failure or not.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from sdk.build import RANDOM_SOURCES
from tests.hostc import ROOT, build_program

LINUX_IP = "10.0.0.1"
TCP_LISTENERS = 3  # net-echo listens on TCP ports 7 (echo), 9 (discard) and 19 (chargen)
IMAGE_IP = "10.0.0.2"
PEER = ROOT / "tests" / "net" / "peer.py"
PYTHON = sys.executable
_counter = itertools.count()

NETSTACK_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "netstack").glob("*.c"))
TCP_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "netstack" / "tcp").glob("*.c"))


def tcp_available() -> bool:
    """The TCP core (netstack/tcp) is there to link."""
    return any("void tcp_input(" in (ROOT / s).read_text() for s in TCP_SOURCES)


@functools.cache
def sdk_image() -> Path:
    """net-echo as a user builds it: `scons board=native app=net-echo`."""
    proc = subprocess.run([str(Path(sys.executable).with_name("scons")), "-Q", "board=native",
                           "app=net-echo"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"scons board=native app=net-echo failed:\n{proc.stdout}{proc.stderr}")
    return ROOT / "build" / "native" / "net-echo" / "net-echo.elf"


def image(sanitize: str = "", defines: Sequence[str] = ()) -> Path:
    """The native net-echo image: app + netstack + the native HAL and TAP backend.

    Plain, it is the SDK's build of examples/net-echo (the image a user runs);
    with a sanitizer or changed sizes, the same sources built here."""
    if not sanitize and not defines:
        return sdk_image()
    srcs = [*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "net-echo").glob("*.c")),
            *NETSTACK_SOURCES, *TCP_SOURCES, "hal/native/native_hal.c", "hal/native/net_tap.c",
            "hal/native/net_slirp.c", "hal/native/net_dev.c", "hal/native/entropy.c",
            # crypto_random, net-echo's random source (what needs=("entropy",) links)
            *(f"netstack/crypto/{f}" for f in RANDOM_SOURCES)]
    return build_program("net-echo" + (f"-{sanitize}" if sanitize else ""), srcs,
                         include=["netstack", "netstack/tcp", "netstack/crypto", "hal/native"],
                         # One LED: the native HAL being reworked warns (-Werror) with none.
                         defines=["BOARD_LED_COUNT=1u", *defines], sanitize=sanitize,
                         cflags=["-O2"])


def require_netns() -> None:
    if os.geteuid() != 0:
        pytest.skip("network namespaces and TAP devices need root")
    if shutil.which("ip") is None or not Path("/dev/net/tun").exists():
        pytest.skip("iproute2 or /dev/net/tun missing")


def sh(*cmd: str, check: bool = True, timeout: float = 30) -> str:
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout


class Image:
    """The running image: its console lines are collected by a thread."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            self.log.append(line)
            self.lines.put(line)

    def expect(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"image never printed /{pattern}/; output:\n" +
                                     "\n".join(self.log[-30:]))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            m = rx.search(line)
            if m:
                return m

    def command(self, cmd: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(cmd.encode() + b"\n")
        self.proc.stdin.flush()

    def stats(self) -> dict[str, int]:
        self.command("stats")
        m = self.expect(r"^stats ", timeout=10)
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.string)}

    def stop(self) -> int:
        if self.proc.poll() is None:
            try:
                self.command("quit")
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.thread.join(timeout=2)
        return self.proc.returncode


STALE = re.compile(r"^apg(\d+)n\d+$")


def remove_stale_labs() -> None:
    """Remove namespaces this module created in runs that were killed before they
    could clean up: named apg<pid>n<k>, that pid gone, nothing running inside."""
    for line in sh("ip", "netns", "list", check=False).splitlines():
        name = line.split()[0] if line.split() else ""
        m = STALE.match(name)
        if not m or Path(f"/proc/{m.group(1)}").exists():
            continue
        if sh("ip", "netns", "pids", name, check=False).strip() == "":
            sh("ip", "netns", "del", name, check=False)


class Lab:
    def __init__(self) -> None:
        self.ns = f"apg{os.getpid()}n{next(_counter)}"
        self.images: list[Image] = []
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Lab:
        remove_stale_labs()
        sh("ip", "netns", "add", self.ns)
        try:
            self.run("ip", "link", "set", "lo", "up")
            self.run("ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
            self.run("ip", "addr", "add", f"{LINUX_IP}/24", "dev", "tap0")
            self.run("ip", "link", "set", "tap0", "up")
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for img in self.images:
            img.stop()
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        # Anything still inside the namespace was started by this lab.
        for pid in sh("ip", "netns", "pids", self.ns, check=False).split():
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
        sh("ip", "netns", "del", self.ns, check=False)

    def cmd(self, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *argv]

    def run(self, *argv: str, timeout: float = 60, check: bool = True) -> str:
        return sh(*self.cmd(*argv), timeout=timeout, check=check)

    def spawn(self, *argv: str) -> subprocess.Popen[bytes]:
        p = subprocess.Popen(self.cmd(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        return p

    def start_image(self, path: Path, *args: str, env: dict[str, str] | None = None) -> Image:
        full_env = {**os.environ, "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
                    **(env or {})}
        proc = subprocess.Popen(self.cmd(str(path), "--tap=tap0", "--mac=02:00:00:00:00:02",
                                         *args),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=full_env)
        img = Image(proc)
        self.images.append(img)
        return img

    def peer(self, action: str, timeout: float = 120, **kw: object) -> dict[str, object]:
        """Run tests/net/peer.py inside the namespace; returns its JSON answer."""
        out = self.run(PYTHON, str(PEER), action, json.dumps(kw), timeout=timeout)
        return json.loads(out.strip().splitlines()[-1])
