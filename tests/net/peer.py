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


ACTIONS = {"udp_echo": udp_echo, "udp_closed": udp_closed, "tcp_echo": tcp_echo,
           "tcp_many": tcp_many}

if __name__ == "__main__":
    print(json.dumps(ACTIONS[sys.argv[1]](json.loads(sys.argv[2]))))
