"""Build the network stack for host tests and load it with cffi.

`core()` is the stack's C (netstack/*.c without the TCP glue) plus tests/net/shim.c, a
driver that captures transmitted frames, loaded as a shared library. Addresses
cross the boundary as host-order integers, frames as bytes.
"""

from __future__ import annotations

import ipaddress
from functools import cache
from pathlib import Path

import cffi

from tests.hostc import ROOT, build_library

NETSTACK = ROOT / "netstack"
# The core layers, in the order a frame meets them.
CORE_SOURCES = [
    "netstack/net_pbuf.c", "netstack/net_csum.c", "netstack/net.c", "netstack/eth.c",
    "netstack/arp.c", "netstack/ipv4.c", "netstack/ip_reass.c", "netstack/icmp.c",
    "netstack/udp.c",
]

CDEF = """
uint32_t net_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t net_csum_fold(uint32_t sum);
uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
void shim_init(const uint8_t mac[6], uint32_t addr, uint32_t mask, uint32_t gw, uint64_t now);
int shim_input(const uint8_t *frame, size_t len, uint64_t now);
uint32_t shim_poll(uint64_t now);
unsigned shim_tx_count(void);
void shim_tx_clear(void);
size_t shim_tx_get(unsigned i, uint8_t *out);
unsigned shim_pool_free(void);
unsigned shim_pool_bad_free(void);
long shim_counter(const char *name);
int shim_udp_bind(unsigned idx, uint16_t port);
int shim_udp_recv(unsigned idx, uint8_t *out, uint32_t *src, uint16_t *sport);
int shim_udp_send(uint16_t sport, uint32_t dst, uint16_t dport, const uint8_t *d, size_t n);
int shim_ip_send(uint32_t dst, uint8_t proto, const uint8_t *d, size_t n);
"""

PBUF_COUNT = 16
MAC = "02:00:00:00:00:02"
PEER_MAC = "02:00:00:00:00:01"
ADDR = "10.0.0.2"
PEER = "10.0.0.1"


def ip(s: str) -> int:
    return int(ipaddress.IPv4Address(s))


@cache
def _lib() -> tuple[cffi.FFI, object]:
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    path = build_library(
        "netcore", [*CORE_SOURCES, "tests/net/shim.c"], include=["netstack"],
        defines=[f"APOGEE_NET_PBUF_COUNT={PBUF_COUNT}"],
    )
    return ffi, ffi.dlopen(str(path))


class Stack:
    """One stack instance (the shim holds a single static one: re-init per test)."""

    def __init__(self, now: int = 0) -> None:
        self.ffi, self.lib = _lib()
        self.now = now
        mac = bytes.fromhex(MAC.replace(":", ""))
        self.lib.shim_init(mac, ip(ADDR), ip("255.255.255.0"), ip("10.0.0.254"), now)

    def input(self, frame: bytes, now: int | None = None) -> None:
        if now is not None:
            self.now = now
        assert self.lib.shim_input(frame, len(frame), self.now) == 0

    def poll(self, now: int) -> int:
        self.now = now
        return int(self.lib.shim_poll(now))

    def sent(self) -> list[bytes]:
        """Frames transmitted since the last call."""
        out = []
        buf = self.ffi.new("uint8_t[2048]")
        for i in range(self.lib.shim_tx_count()):
            n = self.lib.shim_tx_get(i, buf)
            out.append(bytes(self.ffi.buffer(buf, n)))
        self.lib.shim_tx_clear()
        return out

    def counter(self, name: str) -> int:
        v = int(self.lib.shim_counter(name.encode()))
        assert v >= 0, f"no counter {name}"
        return v

    def pool_free(self) -> int:
        return int(self.lib.shim_pool_free())

    def bad_free(self) -> int:
        return int(self.lib.shim_pool_bad_free())

    def udp_bind(self, idx: int, port: int) -> None:
        assert self.lib.shim_udp_bind(idx, port) == 0

    def udp_recv(self, idx: int) -> tuple[bytes, str, int] | None:
        buf = self.ffi.new("uint8_t[2048]")
        src = self.ffi.new("uint32_t *")
        sport = self.ffi.new("uint16_t *")
        n = self.lib.shim_udp_recv(idx, buf, src, sport)
        if n < 0:
            return None
        return bytes(self.ffi.buffer(buf, n)), str(ipaddress.IPv4Address(src[0])), sport[0]

    def udp_send(self, sport: int, dst: str, dport: int, data: bytes) -> int:
        return int(self.lib.shim_udp_send(sport, ip(dst), dport, data, len(data)))


def sources_dir() -> Path:
    return NETSTACK
