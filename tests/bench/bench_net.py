"""Network stack benchmark (not a test): flash per component for Cortex-M4 -Os,
RAM per TCP connection and for the whole stack, and TCP throughput of the native
image through a TAP beside Linux<->Linux over a veth pair in the same run.

    .venv/bin/python tests/bench/bench_net.py [--no-throughput] [--mib N]

Needs root for the throughput part (namespaces). Prints the figures; docs/netstack.md
holds the last run's.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.net.netns import IMAGE_IP, PYTHON, Lab, image, sh  # noqa: E402

CFLAGS = ["-mcpu=cortex-m4", "-mthumb", "-Os", "-ffunction-sections", "-fdata-sections",
          "-std=c11", "--specs=picolibc.specs", f"-I{ROOT}/hal/include", f"-I{ROOT}/netstack",
          f"-I{ROOT}/netstack/tcp"]

COMPONENTS = {
    "buffers+netif": ["net_pbuf", "net"],
    "ethernet+arp": ["eth", "arp"],
    "ipv4+reassembly": ["ipv4", "ip_reass", "net_csum"],
    "icmp": ["icmp"],
    "udp": ["udp"],
    "dhcp": ["dhcp"],
    "dns": ["dns"],
    "api glue": ["net_api"],
}


def flash(tmp: Path) -> dict[str, int]:
    """Link size_main.c against the stack with --gc-sections; text+rodata per component
    from the linker map."""
    objs = []
    sources = sorted((ROOT / "netstack").glob("*.c"))
    tcp = sorted((ROOT / "netstack" / "tcp").glob("*.c"))
    for src in [*sources, *tcp, ROOT / "tests" / "net" / "size_main.c"]:
        o = tmp / (src.stem + ".o")
        sh("arm-none-eabi-gcc", *CFLAGS, "-c", str(src), "-o", str(o))
        objs.append(o)
    elf, mapf, ld = tmp / "size.elf", tmp / "size.map", tmp / "size.ld"
    # Memory large enough for any configuration: this link only measures code.
    ld.write_text("MEMORY { flash (rx) : ORIGIN = 0, LENGTH = 4M\n"
                  "ram (rwx) : ORIGIN = 0x20000000, LENGTH = 16M }\n"
                  "SECTIONS { .text : { *(.text*) *(.rodata*) } > flash\n"
                  ".data : { *(.data*) } > ram AT > flash\n"
                  ".bss (NOLOAD) : { *(.bss*) *(COMMON) } > ram }\n")
    sh("arm-none-eabi-gcc", *CFLAGS, "-nostartfiles", "-Wl,--gc-sections", "-Wl,-e,size_entry",
       f"-T{ld}", f"-Wl,-Map={mapf}", *map(str, objs), "-o", str(elf), "-lc", "-lgcc")
    per_obj: dict[str, int] = defaultdict(int)
    text = mapf.read_text()
    # Input sections kept in the output: " .text.name  0xADDR  0xSIZE file.o" (one or
    # two lines).
    for m in re.finditer(r"^ \.(?:text|rodata)[^\s]*\s*\n?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)",
                         text, re.M):
        size, obj = int(m.group(1), 16), m.group(2)
        per_obj[Path(obj).stem if obj.endswith(".o") else "libc/libgcc"] += size
    out: dict[str, int] = {}
    for comp, stems in COMPONENTS.items():
        out[comp] = sum(per_obj.pop(s, 0) for s in stems)
    out["tcp"] = sum(per_obj.pop(p.stem, 0) for p in tcp)
    per_obj.pop("size_main", None)
    out["libc (memcpy/memset...)"] = sum(per_obj.values())
    return out


SMALL = ["APOGEE_NET_PBUF_COUNT=6", "APOGEE_TCP_SOCKETS=4", "APOGEE_TCP_SNDBUF=2144",
         "APOGEE_TCP_RCVBUF=2144", "APOGEE_NET_REASS_SLOTS=1", "APOGEE_NET_REASS_SIZE=1480",
         "APOGEE_NET_UDP_SOCKETS=2", "APOGEE_NET_UDP_RXQ=2"]


def ram(tmp: Path, defines: list[str] = []) -> dict[str, int]:  # noqa: B006
    probe = tmp / "ram.c"
    probe.write_text('#include "net_api.h"\nstruct net_app app;\nstruct tcp_sock one_conn;\n'
                     'struct net_stack core;\nstruct net_pool pool;\nstruct tcp_stack tcp;\n')
    o = tmp / "ram.o"
    sh("arm-none-eabi-gcc", *CFLAGS, *[f"-D{d}" for d in defines], "-fno-common", "-c",
       str(probe), "-o", str(o))
    sizes = {}
    for line in sh("arm-none-eabi-nm", "-S", str(o)).splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def linux_veth_throughput(mib: int, per_frame: bool, rcvbuf: int = 0, sndbuf: int = 0) -> float:
    """Linux -> Linux over a veth pair between two namespaces: MiB/s. per_frame: GSO and
    GRO limited to one frame, so each 1500-byte frame is processed on its own as it
    is through a TAP (the default veth moves 64 KiB super-frames). rcvbuf: the
    receiver's SO_RCVBUF, sndbuf: the sender's SO_SNDBUF (0: Linux's autotuning, up
    to megabytes)."""
    a, b = f"apgbench{os.getpid()}a", f"apgbench{os.getpid()}b"
    sh("ip", "netns", "add", a)
    sh("ip", "netns", "add", b)
    try:
        sh("ip", "link", "add", "va", "netns", a, "type", "veth", "peer", "vb", "netns", b)
        sh("ip", "netns", "exec", a, "ip", "addr", "add", "10.1.0.1/24", "dev", "va")
        sh("ip", "netns", "exec", b, "ip", "addr", "add", "10.1.0.2/24", "dev", "vb")
        for ns, dev in ((a, "va"), (b, "vb")):
            if per_frame:
                sh("ip", "-n", ns, "link", "set", dev, "gso_max_segs", "1", "gro_max_size",
                   "1500")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
        server = subprocess.Popen(["ip", "netns", "exec", b, PYTHON, "-c", DISCARD_SERVER,
                                   str(rcvbuf)])
        try:
            time.sleep(0.5)
            return send_mib(["ip", "netns", "exec", a], "10.1.0.2", mib, sndbuf)
        finally:
            server.kill()
            server.wait()
    finally:
        sh("ip", "netns", "del", a, check=False)
        sh("ip", "netns", "del", b, check=False)


DISCARD_SERVER = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if int(sys.argv[1]):
    # Linux doubles the value for its bookkeeping and advertises about half of
    # the result: the window is then close to the number given.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(sys.argv[1]))
s.bind(("0.0.0.0", 9)); s.listen(4)
while True:
    c, _ = s.accept()
    while c.recv(1 << 20):
        pass
    c.close()
"""

SENDER = """
import socket, sys, time
host, mib, sndbuf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = bytes(1 << 20)
s = socket.socket()
if sndbuf:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
s.settimeout(60)
s.connect((host, 9))
t = time.monotonic()
for _ in range(mib):
    s.sendall(block)
s.shutdown(socket.SHUT_WR)
s.recv(1)  # the server closes after reading everything
print(mib / (time.monotonic() - t))
"""


def send_mib(prefix: list[str], host: str, mib: int, sndbuf: int = 0) -> float:
    out = subprocess.run([*prefix, PYTHON, "-c", SENDER, host, str(mib), str(sndbuf)],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip())


RECEIVER = """
import socket, sys, time
host, mib = sys.argv[1], int(sys.argv[2])
s = socket.create_connection((host, 19), timeout=60)
want, got, t = mib << 20, 0, time.monotonic()
while got < want:
    n = len(s.recv(1 << 20))
    if n == 0:
        sys.exit("chargen closed early")
    got += n
print(mib / (time.monotonic() - t))
"""


def native_throughput(mib: int, buf: int) -> tuple[float, float, float]:
    """MiB/s Linux -> native (discard, port 9), native -> Linux (chargen, port 19),
    and each way of an echo (port 7) of 1/4 the size. buf: TCP send and receive
    buffer per socket."""
    defines = [f"APOGEE_TCP_SNDBUF={buf}", f"APOGEE_TCP_RCVBUF={buf}"]
    with Lab() as lab:
        img = lab.start_image(image(defines=defines), f"--ip={IMAGE_IP}/24")
        img.expect(r"net-echo: address")
        rx = send_mib(lab.cmd(), IMAGE_IP, mib)
        out = subprocess.run([*lab.cmd(), PYTHON, "-c", RECEIVER, IMAGE_IP, str(mib)],
                             capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            raise RuntimeError(out.stderr)
        tx = float(out.stdout.strip())
        r = lab.peer("tcp_echo", host=IMAGE_IP, size=(mib // 4) << 20, timeout=600)
        echo = (mib // 4) / float(r["seconds"])  # type: ignore[arg-type]
        return rx, tx, echo


# TCP send/receive buffers per socket tried: net-echo's own (8 KiB, app.py), then
# larger ones as an application with RAM to spare sets them.
BUFFERS = (8192, 16384, 65536, 262144)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--mib", type=int, default=1024)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        f = flash(tmp)
        r = ram(tmp)
        small = ram(tmp, SMALL)
    print("flash (text+rodata, Cortex-M4 -Os, --gc-sections), bytes:")
    for k, v in f.items():
        print(f"  {k:28s} {v:6d}")
    stack = sum(v for k, v in f.items() if not k.startswith("libc"))
    print(f"  {'total without libc':28s} {stack:6d}  ({stack / 1024:.1f} KiB)")
    print("static RAM at the default sizes, bytes:")
    names = {"one_conn": "one TCP connection", "tcp": "TCP table", "pool": "packet pool",
             "core": "IP core (pool, ARP, reass...)", "app": "whole net_app"}
    print(f"  {'':30s} {'defaults':>9s} {'small':>9s}")
    for k, label in names.items():
        print(f"  {label:30s} {r.get(k, 0):9d} {small.get(k, 0):9d}")
    print("  small = " + " ".join(SMALL))
    if args.no_throughput:
        return
    # The machine is shared: measurements are interleaved over rounds and the median
    # of each is reported, with ratios of medians.
    runs: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        runs["veth"].append(linux_veth_throughput(args.mib, per_frame=False))
        runs["veth1"].append(linux_veth_throughput(args.mib, per_frame=True))
        for buf in BUFFERS:
            runs[f"vethr{buf}"].append(linux_veth_throughput(args.mib, False, rcvbuf=buf))
            runs[f"veths{buf}"].append(linux_veth_throughput(args.mib, False, sndbuf=buf))
            rx, tx, echo = native_throughput(args.mib, buf)
            runs[f"rx{buf}"].append(rx)
            runs[f"tx{buf}"].append(tx)
            runs[f"echo{buf}"].append(echo)
    med = {k: statistics.median(v) for k, v in runs.items()}
    linux, frame = med["veth"], med["veth1"]
    print(f"throughput, median of {args.rounds} interleaved rounds, {args.mib} MiB each:")
    print(f"  Linux->Linux veth:   {linux:8.1f} MiB/s  (runs: "
          + ", ".join(f"{x:.0f}" for x in runs["veth"]) + ")")
    print(f"  Linux->Linux veth, one frame per skb (no GSO/GRO): {frame:8.1f} MiB/s")
    print("  Linux <-> native through the TAP, MiB/s (ratio to Linux->Linux veth above),")
    print("  and Linux->Linux veth with the same buffer on the receiver (SO_RCVBUF, beside")
    print("  Linux->native) or on the sender (SO_SNDBUF, beside native->Linux):")
    print("  | TCP buffers | Linux -> native | veth, same SO_RCVBUF | native -> Linux "
          "| veth, same SO_SNDBUF | echo, each way |")
    for buf in BUFFERS:
        rx, tx, echo, vr, vs = (med[f"{k}{buf}"] for k in ("rx", "tx", "echo", "vethr", "veths"))
        print(f"  | {buf // 1024} KiB | {rx:.0f} ({rx / linux:.2f}x) | {vr:.0f} | {tx:.0f} "
              f"({tx / linux:.2f}x) | {vs:.0f} | {echo:.0f} |")
    print("  runs: " + "; ".join(f"{k} " + ", ".join(f"{x:.0f}" for x in v)
                                 for k, v in runs.items()))


if __name__ == "__main__":
    main()
