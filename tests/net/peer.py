"""The Linux side of the namespace tests: run inside the namespace by netns.Lab.peer.

    python peer.py ACTION JSON-ARGS   ->  prints one JSON line with the results
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import socket
import sys
import time
from typing import Any


def udp_echo(a: dict[str, Any]) -> dict[str, Any]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    ok = 0
    for i in range(a.get("count", 20)):
        payload = os.urandom(a.get("size", 100) + i)
        for _ in range(3):
            s.sendto(payload, (a["host"], a.get("port", 7)))
            try:
                data, src = s.recvfrom(4096)
            except TimeoutError:
                continue
            if data == payload and src == (a["host"], a.get("port", 7)):
                ok += 1
                break
    return {"ok": ok}


def udp_closed(a: dict[str, Any]) -> dict[str, Any]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.connect((a["host"], a["port"]))
    s.send(b"anyone?")
    try:
        s.recv(100)
    except ConnectionRefusedError:
        return {"refused": True}
    except TimeoutError:
        pass
    return {"refused": False}


def tcp_echo(a: dict[str, Any]) -> dict[str, Any]:
    """Send `size` bytes to the echo port and read them all back, at the same time."""
    size = a["size"]
    data = hashlib.shake_256(b"apogee").digest(size) if size <= 1 << 16 else _big(size)
    s = socket.create_connection((a["host"], a.get("port", 7)), timeout=30)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent, got = 0, hashlib.sha256()
    received = 0
    deadline = time.monotonic() + a.get("timeout", 100)
    start = time.monotonic()
    while received < size:
        if time.monotonic() > deadline:
            return {"error": f"timeout: sent {sent} received {received}"}
        for _key, ev in sel.select(timeout=1):
            if ev & selectors.EVENT_WRITE and sent < size:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
                if sent == size:
                    s.shutdown(socket.SHUT_WR)
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    chunk = s.recv(65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    return {"error": f"EOF after {received}"}
                got.update(chunk)
                received += len(chunk)
    elapsed = time.monotonic() - start
    s.close()
    return {"sent_sha256": hashlib.sha256(data).hexdigest(), "recv_sha256": got.hexdigest(),
            "received": received, "seconds": elapsed}


def _big(size: int) -> bytes:
    block = hashlib.shake_256(b"apogee-big").digest(1 << 20)
    return (block * (size // len(block) + 1))[:size]


def tcp_many(a: dict[str, Any]) -> dict[str, Any]:
    """Open n connections at once, each echoing its own message."""
    n = a["n"]
    socks = []
    for i in range(n):
        s = socket.create_connection((a["host"], 7), timeout=20)
        socks.append((s, f"connection {i} ".encode() * 20))
    for s, msg in socks:
        s.sendall(msg)
    ok = 0
    for s, msg in socks:
        buf = b""
        while len(buf) < len(msg):
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        ok += buf == msg
        s.close()
    return {"ok": ok}


def hostile_frames(a: dict[str, Any]) -> list[bytes]:
    """Malformed and hostile frames for the image at a["host"] (MAC a["mac"])."""
    import random

    from scapy.layers.inet import ICMP, IP, TCP, UDP, fragment
    from scapy.layers.l2 import ARP, Ether

    rng = random.Random(a.get("seed", 7))
    me, them = a["mac"], "02:00:00:00:00:01"
    e = Ether(src=them, dst=me)
    ip = IP(src="10.0.0.1", dst=a["host"])
    out: list[bytes] = []
    good = {
        "icmp": bytes(e / ip / ICMP() / (b"x" * 32)),
        "udp": bytes(e / ip / UDP(sport=1111, dport=7) / (b"y" * 32)),
        "tcp": bytes(e / ip / TCP(sport=2222, dport=7, flags="S")),
        "arp": bytes(Ether(src=them, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="10.0.0.1",
                                                                   pdst=a["host"])),
    }
    # Truncated at every length of every kind of packet.
    for frame in good.values():
        out += [frame[:n] for n in range(0, len(frame))]
    # Bad checksums.
    out += [bytes(e / IP(src="10.0.0.1", dst=a["host"], chksum=0xDEAD) / ICMP()),
            bytes(e / ip / UDP(dport=7, chksum=0xBEEF) / b"bad"),
            bytes(e / ip / ICMP(chksum=0x1234) / b"bad"),
            bytes(e / ip / TCP(dport=7, flags="S", chksum=0x4321))]
    # Lengths that lie.
    out += [bytes(e / IP(src="10.0.0.1", dst=a["host"], len=n) / UDP(dport=7) / (b"z" * 20))
            for n in (0, 1, 19, 21, 27, 60000)]
    out += [bytes(e / ip / UDP(dport=7, len=n) / (b"z" * 20)) for n in (0, 7, 9, 200, 65535)]
    # Bogus options: zero, one and oversized lengths, running past the header.
    for opt in (b"\x07\x00\x04\x00", b"\x07\x01\x04\x00", b"\x07\xff\x04\x00",
                b"\x44\x28" + b"\x00" * 38, b"\x83\x03\x10\x00", b"\x01" * 39 + b"\x07",
                bytes(rng.randrange(256) for _ in range(40))):
        p = IP(src="10.0.0.1", dst=a["host"], options=opt[:40]) / UDP(dport=7) / b"opt"
        out.append(bytes(e / p))
    # Overlapping fragments: teardrop, rewrites, past 64 KiB, ping of death.
    dgram = IP(src="10.0.0.1", dst=a["host"], id=77) / UDP(dport=7) / (b"A" * 600)
    fr = fragment(dgram, fragsize=256)
    tear = IP(bytes(fr[1]))
    tear.frag = 10
    tear.flags = 0
    del tear.chksum
    out += [bytes(e / fr[0]), bytes(e / tear), bytes(e / fr[2])]
    rw = IP(src="10.0.0.1", dst=a["host"], id=78, flags="MF", frag=0, proto=17) / (b"B" * 256)
    rw2 = IP(src="10.0.0.1", dst=a["host"], id=78, flags="MF", frag=16, proto=17) / (b"C" * 256)
    last = IP(src="10.0.0.1", dst=a["host"], id=78, frag=64, proto=17) / (b"D" * 8)
    out += [bytes(e / rw), bytes(e / rw2), bytes(e / last)]
    out.append(bytes(e / IP(src="10.0.0.1", dst=a["host"], id=79, frag=8189, proto=17) /
                     (b"E" * 1000)))
    pod = fragment(IP(src="10.0.0.1", dst=a["host"], id=80) / ICMP() / (b"P" * 65500),
                   fragsize=1480)
    out += [bytes(e / f) for f in pod]
    for ident in range(200, 260):  # more datagrams than reassembly slots
        out.append(bytes(e / IP(src="10.0.0.1", dst=a["host"], id=ident, flags="MF",
                                proto=17) / (b"S" * 64)))
    # SYN flood from spoofed sources, on and off the link, to open and closed ports.
    for i in range(a.get("syns", 400)):
        src = f"10.0.0.{rng.randrange(100, 250)}" if i % 2 else \
            f"198.51.100.{rng.randrange(1, 255)}"
        out.append(bytes(e / IP(src=src, dst=a["host"]) /
                         TCP(sport=rng.randrange(1024, 65535), dport=rng.choice([7, 9, 80]),
                             flags="S", seq=rng.randrange(2**32))))
    # Land attack, broadcast and multicast abuse, ARP lies.
    out.append(bytes(e / IP(src=a["host"], dst=a["host"]) / TCP(sport=7, dport=7, flags="S")))
    out.append(bytes(Ether(src=them, dst="ff:ff:ff:ff:ff:ff") /
                     IP(src="10.0.0.1", dst="255.255.255.255") / ICMP()))
    out.append(bytes(Ether(src=them, dst="01:00:5e:00:00:01") /
                     IP(src="10.0.0.1", dst="224.0.0.1") / UDP(dport=7)))
    out.append(bytes(Ether(src=them, dst=me) / ARP(op=2, psrc="255.255.255.255",
                                                   hwsrc="ff:ff:ff:ff:ff:ff", pdst=a["host"])))
    out.append(bytes(Ether(src=them, dst=me) / ARP(op=7, psrc="10.0.0.3", pdst=a["host"])))
    # Random bytes behind valid Ethernet headers.
    for _ in range(300):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        out.append(bytes(Ether(src=them, dst=me, type=rng.choice([0x0800, 0x0806])) / body))
    return out


def inject(a: dict[str, Any]) -> dict[str, Any]:
    """Write hostile frames onto tap0 from the Linux side."""
    frames = hostile_frames(a)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.get("iface", "tap0"), 0))
    for f in frames:
        s.send(f.ljust(14, b"\0") if len(f) < 14 else f)
        time.sleep(0.0002)
    return {"sent": len(frames)}


def tcp_discard(a: dict[str, Any]) -> dict[str, Any]:
    size = a["size"]
    s = socket.create_connection((a["host"], 9), timeout=60)
    data = _big(size)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    extra = s.recv(100)  # the discard server sends nothing and closes
    s.close()
    return {"ok": extra == b""}


def chargen_pattern(size: int) -> bytes:
    """RFC 864's stream, built here independently of the image: 72-character lines
    of the 95 printable ASCII characters, each line starting one later, CR LF."""
    lines = [bytes(32 + (k + i) % 95 for i in range(72)) + b"\r\n" for k in range(95)]
    period = b"".join(lines)
    return (period * (size // len(period) + 1))[:size]


def tcp_chargen(a: dict[str, Any]) -> dict[str, Any]:
    size = a["size"]
    s = socket.create_connection((a["host"], 19), timeout=60)
    got = bytearray()
    while len(got) < size:
        chunk = s.recv(min(1 << 20, size - len(got)))
        if not chunk:
            return {"error": f"EOF after {len(got)} bytes"}
        got += chunk
    s.close()
    return {"ok": bytes(got) == chargen_pattern(size), "received": len(got)}


def tcp_under_attack(a: dict[str, Any]) -> dict[str, Any]:
    """Open an echo connection, then spray RSTs and data at wrong sequence numbers
    on its 4-tuple and a SYN flood, while echoing; check the echo stays exact."""
    import random

    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether

    rng = random.Random(5)
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind(("tap0", 0))
    s = socket.create_connection((a["host"], 7), timeout=30)
    lport = s.getsockname()[1]
    e = Ether(src="02:00:00:00:00:01", dst=a["mac"])
    ip = IP(src="10.0.0.1", dst=a["host"])
    got = hashlib.sha256()
    want = hashlib.sha256()
    for round_ in range(20):
        msg = os.urandom(3000)
        want.update(msg)
        s.sendall(msg)
        # Attacks between writes: blind RSTs, SYNs and data on the connection's
        # 4-tuple at random sequence numbers, plus a SYN flood to the listener.
        frames = []
        for _ in range(30):
            seq = rng.randrange(2**32)
            frames.append(e / ip / TCP(sport=lport, dport=7, flags="R", seq=seq))
            frames.append(e / ip / TCP(sport=lport, dport=7, flags="S", seq=seq))
            frames.append(e / ip / TCP(sport=lport, dport=7, flags="PA", seq=seq,
                                       ack=rng.randrange(2**32)) / (b"EVIL" * 10))
            frames.append(e / IP(src=f"198.51.100.{rng.randrange(1, 255)}", dst=a["host"]) /
                          TCP(sport=rng.randrange(1024, 65535), dport=7, flags="S",
                              seq=rng.randrange(2**32)))
        for f in frames:
            raw.send(bytes(f))
        need = 3000
        while need:
            chunk = s.recv(need)
            if not chunk:
                return {"error": f"EOF in round {round_}"}
            got.update(chunk)
            need -= len(chunk)
    s.close()
    return {"ok": got.digest() == want.digest()}


ACTIONS = {"inject": inject, "tcp_discard": tcp_discard, "tcp_under_attack": tcp_under_attack,
           "udp_echo": udp_echo, "udp_closed": udp_closed, "tcp_echo": tcp_echo,
           "tcp_many": tcp_many, "tcp_chargen": tcp_chargen}

if __name__ == "__main__":
    print(json.dumps(ACTIONS[sys.argv[1]](json.loads(sys.argv[2]))))
