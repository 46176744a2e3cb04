"""Runs the libFuzzer harness of the receive path (tests/net/fuzz_rx.c) for a
bounded time, seeded with valid frames of every kind the stack handles."""

from __future__ import annotations

import os
import re
import struct
import subprocess
from pathlib import Path

import pytest
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dns import DNS, DNSQR, DNSRR
from scapy.layers.inet import ICMP, IP, TCP, UDP, fragment
from scapy.layers.l2 import ARP, Ether

from tests.hostc import build_program
from tests.net.netns import NETSTACK_SOURCES, TCP_SOURCES

FUZZ_SECONDS = int(os.environ.get("APOGEE_FUZZ_SECONDS", "30"))
ME, PEER = "02:00:00:00:00:02", "02:00:00:00:00:01"


def frames(*fs: object, mode: int = 0) -> bytes:
    out = bytes([mode])
    for f in fs:
        b = bytes(f)  # type: ignore[call-overload]
        out += struct.pack("!H", len(b)) + b
    return out


def seeds() -> list[bytes]:
    e = Ether(src=PEER, dst=ME)
    ip = IP(src="10.0.0.1", dst="10.0.0.2")
    arp = Ether(src=PEER, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="10.0.0.1", pdst="10.0.0.2",
                                                         hwsrc=PEER)
    dhcp = Ether(src=PEER, dst="ff:ff:ff:ff:ff:ff") / IP(src="10.0.0.1", dst="255.255.255.255") / \
        UDP(sport=67, dport=68) / BOOTP(op=2, xid=1, yiaddr="10.0.0.50",
                                        chaddr=bytes.fromhex(ME.replace(":", ""))) / \
        DHCP(options=[("message-type", "offer"), ("server_id", "10.0.0.1"), "end"])
    dns = e / ip / UDP(sport=53, dport=50000) / DNS(
        id=1, qr=1, qd=DNSQR(qname="example.com"), an=DNSRR(rrname="example.com", rdata="1.2.3.4"))
    frag = fragment(ip / UDP(dport=7) / (b"f" * 400), fragsize=128)
    return [
        frames(arp, e / ip / ICMP() / b"ping"),
        frames(arp, e / ip / UDP(sport=9, dport=7) / b"echo", e / ip / UDP(dport=99) / b"x"),
        frames(arp, *[e / f for f in frag]),
        frames(arp, e / ip / TCP(sport=4000, dport=7, flags="S", seq=1000),
               e / ip / TCP(sport=4000, dport=7, flags="A", seq=1001, ack=1) / b"data"),
        # A NIC with checksum offload: TCP past its checksum from whole frames.
        frames(arp, e / ip / TCP(sport=4001, dport=7, flags="S", seq=5000),
               e / ip / TCP(sport=4001, dport=7, flags="PA", seq=5001, ack=1) / b"more",
               mode=4),
        frames(dhcp, mode=1),
        frames(arp, dns, mode=2),
    ]


@pytest.mark.slow
def test_fuzz_receive_path(tmp_path: Path) -> None:
    exe = build_program("fuzz_rx", [*NETSTACK_SOURCES, *TCP_SOURCES, "tests/net/fuzz_rx.c"],
                        include=["netstack", "netstack/tcp"], sanitize="fuzz")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, s in enumerate(seeds()):
        (corpus / f"seed{i}").write_bytes(s)
    proc = subprocess.run(
        [str(exe), str(corpus), f"-max_total_time={FUZZ_SECONDS}", "-max_len=4096",
         "-timeout=10", "-rss_limit_mb=1024", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=FUZZ_SECONDS + 120)
    tail = proc.stderr[-4000:]
    assert proc.returncode == 0, f"fuzzer found a problem:\n{tail}"
    m = re.search(r"Done (\d+) runs", tail)
    assert m and int(m.group(1)) > 1000, tail
