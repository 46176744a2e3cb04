"""The TCP core against the Linux kernel's TCP, through a TUN device in a network
namespace created by each test (needs root; skipped otherwise)."""

from __future__ import annotations

import hashlib
import os
import socket
import struct
import threading
import time
from pathlib import Path

import pytest

from tests.tcp.netns_util import (
    CORE_IP,
    LINUX_IP,
    LISTENERS,
    SOCKETS,
    Core,
    Netns,
    build_harness,
    need_root,
    netns,
)

pytestmark = [pytest.mark.netns]

MIB10 = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def harness() -> Path:
    need_root()
    return build_harness()


def echo_through(ns: Netns, data: bytes, port: int = 7, timeout: float = 120,
                 check_opts: bool = False) -> tuple[bytes, str]:
    """Linux connects to the core's echo port, sends data, half-closes, reads all."""
    with ns.inside():
        s = socket.create_connection((CORE_IP, port), timeout=timeout)
    info = ""
    if check_opts:
        # what `ss -ti` shows comes from TCP_INFO: options bits and window shifts
        ti = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        info = f"options={ti[5]} snd_wscale={ti[6] & 15} rcv_wscale={ti[6] >> 4}"
        # iproute2 6.1 prints the "ts"/"sack" words only together with -o
        info += "\n" + ns.exec("ss", "-tino", "dst", CORE_IP).stdout
    err: list[BaseException] = []

    def tx() -> None:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except BaseException as e:  # reported by the main thread
            err.append(e)

    t = threading.Thread(target=tx)
    t.start()
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    t.join()
    s.close()
    if err:
        raise err[0]
    return bytes(got), info


def assert_pools_full(core: Core) -> None:
    assert core.free == SOCKETS - LISTENERS, f"socket table not back to full: {core.lines}"


def test_linux_client_echo_10mib(harness: Path) -> None:
    """Linux connects to the core: 10 MiB echoed, SHA-256 equal, graceful close,
    window scaling + timestamps + SACK negotiated (ss -ti), pools back to full."""
    data = os.urandom(MIB10)
    with netns("a") as ns:
        core = ns.start_core(harness, "--mode", "serve")
        got, info = echo_through(ns, data, check_opts=True)
        core.stop()
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()
    fields = dict(kv.split("=") for kv in info.splitlines()[0].split())
    # TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE
    assert int(fields["options"]) & 7 == 7, info
    assert int(fields["snd_wscale"]) >= 1, info  # the core's shift for its 64 KiB ring
    words = info.split()
    assert "ts" in words and "sack" in words, info  # and what `ss -ti` shows
    assert any(w.startswith("wscale:") and not w.startswith("wscale:0,") for w in words), info
    assert core.stats["conn_opened"] == 1
    assert core.stats["rx_bad_csum"] == 0 and core.stats["tx_rst"] == 0
    assert_pools_full(core)


def test_core_client_to_linux_echo_10mib(harness: Path, tmp_path: Path) -> None:
    """The core connects to a Linux echo server: 10 MiB both ways, graceful close."""
    data = os.urandom(MIB10)
    src, dst = tmp_path / "send.bin", tmp_path / "recv.bin"
    src.write_bytes(data)
    with netns("b") as ns:
        with ns.inside():
            srv = socket.socket()
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind((LINUX_IP, 7007))
            srv.listen(1)
        srv.settimeout(30)
        seen: dict[str, object] = {}

        def serve() -> None:
            c, _ = srv.accept()
            c.settimeout(60)
            h = hashlib.sha256()
            while True:
                b = c.recv(1 << 16)
                if not b:
                    break
                h.update(b)
                c.sendall(b)
            seen["eof"] = True
            seen["sha"] = h.hexdigest()
            c.close()

        t = threading.Thread(target=serve)
        t.start()
        core = ns.start_core(harness, "--mode", "client", "--peer", LINUX_IP,
                             "--port", "7007", "--send", str(src), "--recv", str(dst))
        rc = core.wait(120)
        t.join(10)
        srv.close()
    assert rc == 0, core.lines
    assert seen.get("eof") is True
    assert seen["sha"] == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(dst.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    conn = next(ln for ln in core.lines if ln.startswith("CONNECTED"))
    fields = dict(kv.split("=") for kv in conn.split()[1:])
    assert fields["ts"] == "1" and fields["sack"] == "1", conn
    assert int(fields["snd_ws"]) > 0 and int(fields["rcv_ws"]) > 0, conn
    assert "DONE" in core.lines
    assert core.free == SOCKETS, core.lines  # TIME_WAIT ran out, nothing leaked


def test_rst_handling(harness: Path) -> None:
    """Closed port -> RST; the core's abort resets Linux; Linux's abort (RST) resets
    the core's connection; the core's connect to a closed Linux port is refused."""
    with netns("c") as ns:
        core = ns.start_core(harness, "--mode", "serve")
        with ns.inside():
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((CORE_IP, 5555), timeout=10)
            # port 13 aborts on the first data it reads
            s = socket.create_connection((CORE_IP, 13), timeout=10)
        s.sendall(b"hello")
        with pytest.raises(ConnectionResetError):
            while s.recv(100):
                pass
        s.close()
        # Linux aborts an echo connection (SO_LINGER 0 -> RST)
        with ns.inside():
            a = socket.create_connection((CORE_IP, 7), timeout=10)
        a.sendall(b"x" * 1000)
        assert len(a.recv(2000)) > 0
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        a.close()
        # the echo service is still fine afterwards
        got, _ = echo_through(ns, b"after reset" * 100, timeout=10)
        assert got == b"after reset" * 100
        core.stop()
        # the core's own connect to a port nobody listens on
        core2 = ns.start_core(harness, "--mode", "client", "--peer", LINUX_IP, "--port",
                              "5556", "--send", "/dev/null", "--recv", "/dev/null")
        rc = core2.wait(30)
    assert core.stats["rx_no_socket"] >= 1 and core.stats["tx_rst"] >= 2
    assert core.stats["rx_rst"] >= 1, core.lines
    assert_pools_full(core)
    assert rc == 2 and "ERROR -10" in core2.lines, core2.lines  # APG_ECONNREFUSED
    assert core2.free == SOCKETS


def test_64_concurrent_connections(harness: Path) -> None:
    n, size = 64, 256 * 1024
    blobs = [os.urandom(size) for _ in range(n)]
    with netns("d") as ns:
        core = ns.start_core(harness, "--mode", "serve")
        with ns.inside():
            socks = [socket.create_connection((CORE_IP, 7), timeout=60) for _ in range(n)]
        results: list[bytes | None] = [None] * n

        def run(i: int) -> None:
            s = socks[i]

            def tx() -> None:
                s.sendall(blobs[i])
                s.shutdown(socket.SHUT_WR)

            t = threading.Thread(target=tx)
            t.start()
            got = bytearray()
            while True:
                b = s.recv(1 << 16)
                if not b:
                    break
                got += b
            t.join()
            s.close()
            results[i] = bytes(got)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        core.stop()
    for i in range(n):
        assert results[i] == blobs[i], f"connection {i} differs"
    assert core.stats["conn_opened"] == n
    assert_pools_full(core)


@pytest.mark.slow
def test_echo_10mib_under_loss_reorder_dup(harness: Path) -> None:
    """5% loss, 5% reordering, 1% duplication on both directions (seeded)."""
    data = os.urandom(MIB10)
    with netns("e") as ns:
        core = ns.start_core(harness, "--mode", "serve", "--loss", "5", "--reorder", "5",
                             "--dup", "1", "--seed", "20261127")
        got, _ = echo_through(ns, data, timeout=120)
        core.stop()
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()
    st = core.stats
    total = st["rx_segs"] + st["tx_segs"]
    assert st["impair_dropped"] > 0.03 * total, st
    assert st["impair_reordered"] > 0.03 * total, st
    assert st["impair_duplicated"] > 0.005 * total, st
    assert st["fast_retransmits"] > 0 and st["rx_ooo"] > 0, st
    assert_pools_full(core)


def test_asan_build_under_impairment(tmp_path: Path) -> None:
    """The same harness built with ASan + UBSan: echo with loss/reorder/dup, 8
    connections at once, an abort and a closed port; any memory error fails it."""
    need_root()
    asan = build_harness(sanitize="asan")
    blobs = [os.urandom(512 * 1024) for _ in range(8)]
    with netns("f") as ns:
        core = ns.start_core(asan, "--mode", "serve", "--loss", "3", "--reorder", "3",
                             "--dup", "1", "--seed", "7")
        results: list[bytes] = [b""] * len(blobs)

        def run(i: int) -> None:
            results[i], _ = echo_through(ns, blobs[i], timeout=60)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(blobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        with ns.inside():
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((CORE_IP, 5555), timeout=10)
        core.stop()
    assert core.proc.returncode == 0, "\n".join(core.lines[-40:])
    assert all(r == b for r, b in zip(results, blobs, strict=True))
    assert_pools_full(core)


def test_zero_window_against_linux(harness: Path, tmp_path: Path) -> None:
    """A Linux receiver that does not read for 2 s closes its window: the core
    probes (persist) and resumes when Linux reads; the data arrives intact."""
    data = os.urandom(1024 * 1024)
    src, dst = tmp_path / "send.bin", tmp_path / "recv.bin"
    src.write_bytes(data)
    with netns("g") as ns:
        with ns.inside():
            srv = socket.socket()
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            srv.bind((LINUX_IP, 7008))
            srv.listen(1)
        srv.settimeout(30)

        def serve() -> None:
            c, _ = srv.accept()
            c.settimeout(60)
            time.sleep(2.0)  # the window fills and closes
            while True:
                b = c.recv(1 << 16)
                if not b:
                    break
                c.sendall(b)
            c.close()

        t = threading.Thread(target=serve)
        t.start()
        core = ns.start_core(harness, "--mode", "client", "--peer", LINUX_IP,
                             "--port", "7008", "--send", str(src), "--recv", str(dst))
        rc = core.wait(120)
        t.join(10)
        srv.close()
    assert rc == 0, core.lines
    assert dst.read_bytes() == data
    assert core.stats["zwp_sent"] >= 1, core.stats
    assert core.free == SOCKETS


def test_keepalive_against_linux(harness: Path, tmp_path: Path) -> None:
    """Keepalive probes (an old sequence number, no data) draw ACKs from Linux, so
    an idle connection survives many probe intervals."""
    src, dst = tmp_path / "send.bin", tmp_path / "recv.bin"
    src.write_bytes(b"after the silence")
    with netns("h") as ns:
        with ns.inside():
            srv = socket.socket()
            srv.bind((LINUX_IP, 7009))
            srv.listen(1)
        srv.settimeout(30)

        def serve() -> None:
            c, _ = srv.accept()
            c.settimeout(30)
            while True:
                b = c.recv(1 << 16)
                if not b:
                    break
                c.sendall(b)
            c.close()

        t = threading.Thread(target=serve)
        t.start()
        core = ns.start_core(harness, "--mode", "client", "--peer", LINUX_IP, "--port", "7009",
                             "--send", str(src), "--recv", str(dst), "--keepalive", "600",
                             "--idle", "3000")
        rc = core.wait(60)
        t.join(10)
        srv.close()
    assert rc == 0, core.lines
    assert dst.read_bytes() == b"after the silence"
    # idle 3 s, a probe after each 600 ms of silence (Linux answers out-of-window
    # segments at most every 500 ms: tcp_invalid_ratelimit); after an unanswered
    # probe the next would wait APOGEE_TCP_KEEPINTVL_MS (75 s), so each of these
    # was answered and re-armed the idle timer
    assert core.stats["keepalives_sent"] >= 4, core.stats
    assert core.stats["timeouts"] == 0
