"""Benchmark (not a test): the TCP core's bulk throughput against Linux through a
TUN device, beside Linux <-> Linux over a veth pair in the same run; RAM per
connection; text size on Cortex-M4 -Os. Run as root:

    .venv/bin/python tests/bench/bench_tcp.py

Prints the figures that docs/tcp.md records."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.hostc import build_program  # noqa: E402
from tests.tcp.netns_util import CORE_IP, LINUX_IP, Netns, netns  # noqa: E402

MIB = 1024 * 1024
BULK = 200 * MIB
BENCH_DEFINES = [
    "APOGEE_TCP_SOCKETS=8",
    "APOGEE_TCP_SNDBUF=262144",
    "APOGEE_TCP_RCVBUF=262144",
    "APOGEE_TCP_MSL_MS=500",
]
CHUNK = b"\xa5" * (1 << 20)


def build_fast_harness() -> Path:
    src = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "netstack/tcp").glob("*.c"))
    return build_program("tcp_tun_bench", ["tests/tcp/tun_harness.c", *src],
                         include=["netstack/tcp"], defines=BENCH_DEFINES, cflags=["-O2"])


def send_bulk(s: socket.socket, n: int) -> None:
    left = n
    while left:
        k = s.send(CHUNK[: min(left, len(CHUNK))])
        left -= k
    s.shutdown(socket.SHUT_WR)


def drain(s: socket.socket) -> int:
    got = 0
    while True:
        b = s.recv(1 << 18)
        if not b:
            return got
        got += len(b)


def linux_to_core(ns: Netns, harness: Path) -> float:
    core = ns.start_core(harness, "--mode", "serve")
    with ns.inside():
        s = socket.create_connection((CORE_IP, 9), timeout=60)
    t0 = time.perf_counter()
    send_bulk(s, BULK)
    drain(s)  # the core closes after reading everything
    dt = time.perf_counter() - t0
    s.close()
    core.stop()
    return BULK / dt


def core_to_linux(ns: Netns, harness: Path, tmp: Path) -> float:
    src = tmp / "bulk.bin"
    with open(src, "wb") as f:
        for _ in range(BULK // len(CHUNK)):
            f.write(CHUNK)
    with ns.inside():
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((LINUX_IP, 9009))
        srv.listen(1)
    got: list[int] = []

    def serve() -> None:
        c, _ = srv.accept()
        got.append(drain(c))
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    t0 = time.perf_counter()
    core = ns.start_core(harness, "--mode", "client", "--peer", LINUX_IP, "--port", "9009",
                         "--send", str(src), "--recv", "/dev/null")
    core.wait(300)
    dt = time.perf_counter() - t0
    t.join()
    srv.close()
    assert got and got[0] == BULK, got
    return BULK / dt


def linux_veth(one_packet_per_segment: bool = False) -> float:
    """Linux <-> Linux over a veth pair; optionally with GSO limited to one segment
    per packet (gso_max_segs 1), which is what a TUN device without offloads sees."""
    a, b = f"apgbA{os.getpid()}", f"apgbB{os.getpid()}"
    run = lambda *c: subprocess.run(c, check=True, capture_output=True)  # noqa: E731
    try:
        run("ip", "netns", "add", a)
        run("ip", "netns", "add", b)
        run("ip", "link", "add", "vA", "netns", a, "type", "veth", "peer", "name", "vB",
            "netns", b)
        run("ip", "-n", a, "addr", "add", "10.8.0.1/24", "dev", "vA")
        run("ip", "-n", b, "addr", "add", "10.8.0.2/24", "dev", "vB")
        if one_packet_per_segment:
            run("ip", "-n", a, "link", "set", "dev", "vA", "gso_max_segs", "1")
            run("ip", "-n", b, "link", "set", "dev", "vB", "gso_max_segs", "1")
        run("ip", "-n", a, "link", "set", "vA", "up")
        run("ip", "-n", b, "link", "set", "vB", "up")
        with Netns(b).inside():
            srv = socket.socket()
            srv.bind(("10.8.0.2", 9))
            srv.listen(1)
        with Netns(a).inside():
            s = socket.create_connection(("10.8.0.2", 9), timeout=60)

        def serve() -> None:
            c, _ = srv.accept()
            drain(c)
            c.close()

        t = threading.Thread(target=serve)
        t.start()
        t0 = time.perf_counter()
        send_bulk(s, BULK)
        drain(s)
        dt = time.perf_counter() - t0
        t.join()
        s.close()
        srv.close()
        return BULK / dt
    finally:
        subprocess.run(["ip", "netns", "del", a], capture_output=True)
        subprocess.run(["ip", "netns", "del", b], capture_output=True)


def ram_figures() -> dict[str, int]:
    prog_src = ROOT / "build" / "host" / "tcp_sizeof.c"
    prog_src.parent.mkdir(parents=True, exist_ok=True)
    prog_src.write_text(
        '#include <stdio.h>\n#include "tcp.h"\n'
        "int main(void){printf(\"%zu %zu %zu\\n\", sizeof(struct tcp_sock),"
        " sizeof(struct tcp_sock) - APOGEE_TCP_SNDBUF - APOGEE_TCP_RCVBUF,"
        " sizeof(struct tcp_stack)); return 0;}\n")
    prog = build_program("tcp_sizeof", [prog_src], include=["netstack/tcp"])
    sock, ctrl, stack = map(int, subprocess.run([str(prog)], capture_output=True, text=True,
                                                check=True).stdout.split())
    return {"sock": sock, "ctrl": ctrl, "stack": stack}


def arm_ram_figures() -> dict[str, int]:
    """sizeof on Cortex-M4 (defaults), read back from a compiled object's .rodata."""
    from elftools.elf.elffile import ELFFile

    out = Path(tempfile.mkdtemp())
    src = out / "sz.c"
    src.write_text('#include "tcp.h"\n'
                   "const unsigned sz_sock = sizeof(struct tcp_sock);\n"
                   "const unsigned sz_ctrl = sizeof(struct tcp_sock) - APOGEE_TCP_SNDBUF"
                   " - APOGEE_TCP_RCVBUF;\n"
                   "const unsigned sz_stack = sizeof(struct tcp_stack);\n")
    obj = out / "sz.o"
    subprocess.run(["arm-none-eabi-gcc", "--specs=picolibc.specs", "-std=c11",
                    "-mcpu=cortex-m4", "-mthumb", "-Os", f"-I{ROOT / 'hal/include'}",
                    f"-I{ROOT / 'netstack/tcp'}", "-c", "-o", str(obj), str(src)], check=True)
    res: dict[str, int] = {}
    with open(obj, "rb") as f:
        elf = ELFFile(f)
        ro = elf.get_section_by_name(".rodata").data()
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if sym.name.startswith("sz_"):
                v = sym["st_value"]
                res[sym.name[3:]] = int.from_bytes(ro[v:v + 4], "little")
    return res


def text_size() -> tuple[int, dict[str, int]]:
    """netstack/tcp for Cortex-M4, -Os, --gc-sections, linked with a caller that uses
    the whole API (so nothing is collected away)."""
    out = Path(tempfile.mkdtemp())
    caller = out / "use.c"
    caller.write_text(r'''#include "tcp.h"
static struct tcp_stack s;
static int o(void *c, uint32_t a, uint32_t b, const uint8_t *p, size_t n)
{ (void)c; (void)a; (void)b; (void)p; (void)n; return 0; }
static uint32_t r(void *c) { (void)c; return 4; }
int main(void) {
  uint8_t b[16] = {0};
  tcp_init(&s, o, 0, r, 0, 1); int l = tcp_listen(&s, 7, 2); int c = tcp_connect(&s, 2, 7);
  tcp_input(&s, 2, 1, b, 16, 1); tcp_poll(&s, 2); int a = tcp_accept(&s, l);
  tcp_send(&s, c, b, 1); tcp_recv(&s, c, b, 16); tcp_shutdown(&s, c); tcp_nodelay(&s, c, 1);
  tcp_keepalive(&s, c, 1);
  int x = tcp_ready(&s, c) + tcp_error(&s, c) + tcp_state(&s, c) + (int)tcp_send_space(&s, c)
        + tcp_free_slots(&s);
  tcp_set_local_ip(&s, 3); tcp_close(&s, a); tcp_abort(&s, l);
  return x; }
''')
    srcs = sorted((ROOT / "netstack/tcp").glob("*.c"))
    flags = ["arm-none-eabi-gcc", "--specs=picolibc.specs", "-std=c11", "-mcpu=cortex-m4",
             "-mthumb", "-Os", "-ffunction-sections", "-fdata-sections",
             f"-I{ROOT / 'hal/include'}", f"-I{ROOT / 'netstack/tcp'}",
             "-DAPOGEE_TCP_SOCKETS=2"]
    elf = out / "tcp.elf"
    subprocess.run([*flags, "-Wl,--gc-sections", "-nostartfiles", "-Wl,--entry=main",
                    "-o", str(elf), str(caller), *map(str, srcs)], check=True)
    nm = subprocess.run(["arm-none-eabi-nm", "-S", "--size-sort", str(elf)],
                        capture_output=True, text=True, check=True).stdout
    per: dict[str, int] = {}
    total = 0
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTrR":
            size = int(parts[1], 16)
            if parts[3] in ("main", "o", "r") or parts[3].startswith("mem"):
                continue  # the caller and libc, not TCP
            per[parts[3]] = size
            total += size
    # per file, from the objects
    files: dict[str, int] = {}
    for src in srcs:
        obj = out / (src.stem + ".o")
        subprocess.run([*flags, "-c", "-o", str(obj), str(src)], check=True)
        sz = subprocess.run(["arm-none-eabi-size", str(obj)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[1].split()
        files[src.name] = int(sz[0])
    return total, files


def main() -> None:
    if os.geteuid() != 0:
        sys.exit("bench_tcp: needs root (network namespaces, TUN)")
    harness = build_fast_harness()
    with tempfile.TemporaryDirectory() as d:
        with netns("bench") as ns:
            l2c = linux_to_core(ns, harness)
        with netns("bench2") as ns:
            c2l = core_to_linux(ns, harness, Path(d))
    veth = linux_veth()
    veth1 = linux_veth(one_packet_per_segment=True)
    ram = ram_figures()
    arm = arm_ram_figures()
    text, files = text_size()
    print(f"bulk size                     : {BULK // MIB} MiB, buffers 256 KiB, MSS 1460")
    print(f"Linux -> core (TUN)           : {l2c / MIB:8.1f} MiB/s  ({l2c / veth:.2f}x veth)")
    print(f"core -> Linux (TUN)           : {c2l / MIB:8.1f} MiB/s  ({c2l / veth:.2f}x veth)")
    print(f"Linux -> Linux (veth)         : {veth / MIB:8.1f} MiB/s")
    print(f"Linux -> Linux (veth, no GSO) : {veth1 / MIB:8.1f} MiB/s "
          f"(core: {l2c / veth1:.2f}x / {c2l / veth1:.2f}x of this)")
    print(f"RAM per connection (defaults) : {ram['sock']} B = {ram['ctrl']} B control + rings")
    print(f"struct tcp_stack (defaults)   : {ram['stack']} B")
    print(f"Cortex-M4: per connection {arm['sock']} B = {arm['ctrl']} B control + rings, "
          f"struct tcp_stack {arm['stack']} B")
    print(f"text, Cortex-M4 -Os gc-sections: {text} B ({text / 1024:.1f} KiB)")
    for k, v in files.items():
        print(f"   {k:14s} {v:6d} B (object)")


if __name__ == "__main__":
    main()
