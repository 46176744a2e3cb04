"""Property tests: the checksum against a Python reference, and every parser on
arbitrary bytes under ASan/UBSan (tests/net/parse_main.c), which aborts on any
out-of-bounds read or undefined behaviour."""

from __future__ import annotations

import struct
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, UDP
from scapy.layers.l2 import ARP, Ether

from tests.hostc import build_program
from tests.net.netlib import CORE_SOURCES, PBUF_COUNT, Stack


def ref_csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.integers(0, 2999))
def test_checksum_matches_reference(data: bytes, split: int) -> None:
    s = Stack()
    lib = s.lib
    assert lib.net_csum_fold(lib.net_csum_add(0, data, len(data))) == ref_csum(data)
    # Chained partial sums (even-length first piece) give the same result.
    k = min(split, len(data)) & ~1
    part = lib.net_csum_add(0, data[:k], k)
    assert lib.net_csum_fold(lib.net_csum_add(part, data[k:], len(data) - k)) == ref_csum(data)


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 255),
       st.integers(0, 65535))
def test_pseudo_header_sum(src: int, dst: int, proto: int, length: int) -> None:
    lib = Stack().lib
    ph = struct.pack("!IIBBH", src, dst, 0, proto, length)
    assert lib.net_csum_fold(lib.net_csum_pseudo(src, dst, proto, length)) == ref_csum(ph)


def parse_program(apps: bool = False) -> str:
    extra = ["netstack/dhcp.c", "netstack/dns.c"] if apps else []
    return str(build_program(
        "net_parse" + ("_apps" if apps else ""), [*CORE_SOURCES, *extra, "tests/net/parse_main.c"],
        include=["netstack"], sanitize="asan", defines=["WITH_APPS"] if apps else [],
    ))


def run_parsers(records: list[tuple[str, bytes]], apps: bool = False) -> list[str]:
    blob = b"".join(k.encode() + struct.pack("<I", len(b)) + b for k, b in records)
    proc = subprocess.run([parse_program(apps)], input=blob, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    return proc.stdout.decode().splitlines()


# Mutations of valid packets reach deeper than random bytes alone.
def _seeds() -> list[bytes]:
    m, p = "02:00:00:00:00:02", "02:00:00:00:00:01"
    return [
        bytes(Ether(dst=m, src=p) / IP(src="10.0.0.1", dst="10.0.0.2") / ICMP() / b"ping"),
        bytes(Ether(dst=m, src=p) / IP(src="10.0.0.1", dst="10.0.0.2") / UDP(dport=7) / b"x"),
        bytes(Ether(dst=m, src=p) / IP(src="10.0.0.1", dst="10.0.0.2", flags="MF", frag=0) /
              UDP(dport=7) / (b"f" * 64)),
        bytes(Ether(dst=m, src=p) / IP(src="10.0.0.1", dst="10.0.0.2", frag=9) / (b"g" * 40)),
        bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=p) / ARP(psrc="10.0.0.1", pdst="10.0.0.2")),
    ]


frames = st.one_of(
    st.binary(max_size=1600),
    st.builds(
        lambda seed, edits, cut: _mutate(seed, edits, cut),
        st.sampled_from(_seeds()),
        st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=6),
        st.integers(0, 200),
    ),
)


def _mutate(seed: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    b = bytearray(seed)
    for pos, val in edits:
        if pos < len(b):
            b[pos] = val
    return bytes(b[: len(b) - cut] if cut < len(b) else b)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("eaiu"), st.binary(max_size=200)), min_size=1,
                max_size=40))
def test_header_parsers_on_arbitrary_bytes(records: list[tuple[str, bytes]]) -> None:
    out = run_parsers(records)
    assert len(out) == len(records) + 1


@settings(max_examples=40, deadline=None)
@given(st.lists(frames, min_size=1, max_size=60))
def test_stack_on_arbitrary_frames_returns_every_buffer(batch: list[bytes]) -> None:
    out = run_parsers([("s", f) for f in batch])
    # After each frame is handled and the queue drained, every buffer but those
    # waiting for ARP is free; after the timers run, all are.
    assert out[-1] == f"free {PBUF_COUNT} bad 0"


def _dhcp_seed() -> bytes:
    from scapy.layers.dhcp import BOOTP, DHCP
    return bytes(BOOTP(op=2, xid=1) / DHCP(options=[("message-type", "offer"),
                                                    ("server_id", "10.0.0.1"),
                                                    ("lease_time", 60), "end"]))


def _dns_seed() -> bytes:
    from scapy.layers.dns import DNS, DNSQR, DNSRR
    return bytes(DNS(id=0x1234, qr=1, qd=DNSQR(qname="example.com"),
                     an=[DNSRR(rrname="example.com", type="CNAME", rdata="x.example.com"),
                         DNSRR(rrname="x.example.com", type="A", rdata="1.2.3.4")]))


app_inputs = st.one_of(
    st.tuples(st.sampled_from("hd"), st.binary(max_size=400)),
    st.tuples(st.just("h"), st.builds(_mutate, st.just(_dhcp_seed()),
                                      st.lists(st.tuples(st.integers(230, 290),
                                                         st.integers(0, 255)), max_size=6),
                                      st.integers(0, 60))),
    st.tuples(st.just("d"), st.builds(_mutate, st.just(_dns_seed()),
                                      st.lists(st.tuples(st.integers(0, 80),
                                                         st.integers(0, 255)), max_size=6),
                                      st.integers(0, 60))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(app_inputs, min_size=1, max_size=40))
def test_dhcp_dns_parsers_on_arbitrary_bytes(records: list[tuple[str, bytes]]) -> None:
    out = run_parsers(records, apps=True)
    assert len(out) == len(records) + 1


def test_dns_seed_parses() -> None:
    """The mutation seeds are valid to begin with (so mutations start deep)."""
    assert run_parsers([("d", _dns_seed()), ("h", _dhcp_seed())], apps=True)[:2] == ["0", "0"]
