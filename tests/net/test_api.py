"""The application API (netstack/net_api.h) over a capture driver: sockets, and
DHCP and DNS wired to UDP, with scapy playing the network."""

from __future__ import annotations

import ipaddress
from functools import cache

import cffi
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dns import DNS, DNSRR
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import ARP, Ether

from tests.hostc import build_library
from tests.net.netns import NETSTACK_SOURCES, TCP_SOURCES

MAC = "02:00:00:00:00:02"
SRV_MAC = "02:00:00:00:00:01"
EINVAL, ENOMEM, EAGAIN, EADDRINUSE = -1, -2, -3, -12
READABLE, WRITABLE = 1, 2

CDEF = """
struct net_ipconfig { uint32_t addr, mask, router, dns; };
void *api_init(const uint8_t mac[6], uint64_t now);
void api_input(const uint8_t *frame, size_t len, uint64_t now);
unsigned api_tx_count(void);
void api_tx_clear(void);
size_t api_tx_get(unsigned i, uint8_t *out);
unsigned api_pool_free(void);
void net_config_static(void *a, const struct net_ipconfig *cfg);
void net_config_dhcp(void *a, const struct net_ipconfig *fallback, uint32_t fallback_ms);
int net_config_get(const void *a, struct net_ipconfig *cfg);
uint32_t net_app_poll(void *a, uint64_t now_ms);
int net_udp_open(void *a, uint16_t port);
int net_udp_sendto(void *a, int h, uint32_t dst, uint16_t dport, const void *data, size_t len);
int net_udp_recvfrom(void *a, int h, void *buf, size_t cap, uint32_t *src, uint16_t *sport);
int net_udp_ready(const void *a, int h);
int net_udp_close(void *a, int h);
int net_udp_port(const void *a, int h);
int net_dns_resolve(void *a, const char *name, uint32_t *addr);
"""


def ip(s: str) -> int:
    return int(ipaddress.IPv4Address(s))


@cache
def lib() -> tuple[cffi.FFI, object]:
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    path = build_library("netapi", [*NETSTACK_SOURCES, *TCP_SOURCES, "tests/net/api_shim.c"],
                         include=["netstack", "netstack/tcp"])
    return ffi, ffi.dlopen(str(path))


class App:
    def __init__(self) -> None:
        self.ffi, self.lib = lib()
        self.a = self.lib.api_init(bytes.fromhex(MAC.replace(":", "")), 0)

    def static(self, addr: str = "10.0.0.2", dns: str = "10.0.0.1") -> None:
        cfg = self.ffi.new("struct net_ipconfig *", [ip(addr), ip("255.255.255.0"),
                                                     ip("10.0.0.1"), ip(dns)])
        self.lib.net_config_static(self.a, cfg)

    def sent(self) -> list[Ether]:
        buf = self.ffi.new("uint8_t[2048]")
        out = [Ether(bytes(self.ffi.buffer(buf, self.lib.api_tx_get(i, buf))))
               for i in range(self.lib.api_tx_count())]
        self.lib.api_tx_clear()
        return out

    def input(self, frame: object, now: int = 0) -> None:
        b = bytes(frame)  # type: ignore[call-overload]
        self.lib.api_input(b, len(b), now)

    def recv(self, h: int, cap: int = 2048) -> tuple[int, bytes]:
        buf = self.ffi.new("uint8_t[]", max(cap, 1))
        n = self.lib.net_udp_recvfrom(self.a, h, buf, cap, self.ffi.NULL, self.ffi.NULL)
        return n, bytes(self.ffi.buffer(buf, min(max(n, 0), cap)))


def test_udp_socket_table() -> None:
    app = App()
    app.static()
    lib, a = app.lib, app.a
    h7 = lib.net_udp_open(a, 7)
    assert h7 >= 0 and lib.net_udp_open(a, 7) == EADDRINUSE
    eph = lib.net_udp_open(a, 0)
    assert 49152 <= lib.net_udp_port(a, eph) <= 65535
    others = [lib.net_udp_open(a, 1000 + i) for i in range(2)]
    assert all(h >= 0 for h in others) and lib.net_udp_open(a, 2000) == ENOMEM
    assert lib.net_udp_close(a, others[0]) == 0 and lib.net_udp_open(a, 2000) >= 0
    assert lib.net_udp_close(a, 99) == EINVAL and lib.net_udp_ready(a, -1) == EINVAL
    assert lib.net_udp_sendto(a, 99, 1, 7, b"x", 1) == EINVAL


def test_recvfrom_truncates_and_readiness() -> None:
    app = App()
    app.static()
    lib, a = app.lib, app.a
    h = lib.net_udp_open(a, 7)
    assert lib.net_udp_ready(a, h) == WRITABLE
    assert app.recv(h)[0] == EAGAIN
    app.input(Ether(src=SRV_MAC, dst=MAC) / IP(src="10.0.0.1", dst="10.0.0.2") /
              UDP(sport=9, dport=7) / (b"0123456789" * 10))
    assert lib.net_udp_ready(a, h) == READABLE | WRITABLE
    n, data = app.recv(h, cap=10)
    assert n == 100 and data == b"0123456789"  # full length reported, cap bytes copied
    assert lib.net_udp_ready(a, h) == WRITABLE
    assert lib.api_pool_free() == 16


def test_dhcp_through_the_stack() -> None:
    app = App()
    app.sent()
    app.lib.net_config_dhcp(app.a, app.ffi.NULL, 0)
    app.lib.net_app_poll(app.a, 0)
    (disc,) = app.sent()
    assert disc.dst == "ff:ff:ff:ff:ff:ff" and disc[IP].src == "0.0.0.0"
    assert disc[IP].dst == "255.255.255.255" and (disc[UDP].sport, disc[UDP].dport) == (68, 67)
    xid = disc[BOOTP].xid

    def reply(mtype: str) -> Ether:
        return (Ether(src=SRV_MAC, dst="ff:ff:ff:ff:ff:ff") /
                IP(src="10.0.0.1", dst="255.255.255.255") / UDP(sport=67, dport=68) /
                BOOTP(op=2, xid=xid, yiaddr="10.0.0.50", chaddr=bytes.fromhex("020000000002")) /
                DHCP(options=[("message-type", mtype), ("server_id", "10.0.0.1"),
                              ("lease_time", 600), ("subnet_mask", "255.255.255.0"),
                              ("router", "10.0.0.1"), ("name_server", "10.0.0.1"), "end"]))

    app.input(reply("offer"), 10)
    app.lib.net_app_poll(app.a, 10)
    (req,) = app.sent()
    assert dict(o for o in req[DHCP].options if isinstance(o, tuple))["message-type"] == 3
    app.input(reply("ack"), 20)
    app.lib.net_app_poll(app.a, 20)
    # The offered address is probed first (RFC 5227: sender 0.0.0.0) ...
    (probe,) = app.sent()
    assert probe[ARP].op == 1 and probe[ARP].psrc == "0.0.0.0" and probe[ARP].pdst == "10.0.0.50"
    cfg = app.ffi.new("struct net_ipconfig *")
    assert app.lib.net_config_get(app.a, cfg) == EAGAIN
    # ... and nobody answering, used after a second.
    app.lib.net_app_poll(app.a, 1020)
    assert app.lib.net_config_get(app.a, cfg) == 0
    assert (cfg.addr, cfg.router, cfg.dns) == (ip("10.0.0.50"), ip("10.0.0.1"), ip("10.0.0.1"))
    # The new address is announced (gratuitous ARP).
    (garp,) = app.sent()
    assert garp[ARP].psrc == "10.0.0.50" and garp[ARP].pdst == "10.0.0.50"


def test_dhcp_declines_an_address_in_use() -> None:
    app = App()
    app.sent()
    app.lib.net_config_dhcp(app.a, app.ffi.NULL, 0)
    app.lib.net_app_poll(app.a, 0)
    (disc,) = app.sent()
    xid = disc[BOOTP].xid
    for mtype, now in (("offer", 10), ("ack", 20)):
        app.input(Ether(src=SRV_MAC, dst="ff:ff:ff:ff:ff:ff") /
                  IP(src="10.0.0.1", dst="255.255.255.255") / UDP(sport=67, dport=68) /
                  BOOTP(op=2, xid=xid, yiaddr="10.0.0.50",
                        chaddr=bytes.fromhex("020000000002")) /
                  DHCP(options=[("message-type", mtype), ("server_id", "10.0.0.1"),
                                ("lease_time", 600), "end"]), now)
        app.lib.net_app_poll(app.a, now)
    app.sent()
    # Another host answers for the address.
    app.input(Ether(src="02:00:00:00:00:99", dst=MAC) /
              ARP(op=2, hwsrc="02:00:00:00:00:99", psrc="10.0.0.50", pdst="0.0.0.0"), 100)
    app.lib.net_app_poll(app.a, 100)
    app.lib.net_app_poll(app.a, 100)
    out = app.sent()
    assert len(out) == 1 and out[0].haslayer(DHCP)
    assert dict(o for o in out[0][DHCP].options if isinstance(o, tuple))["message-type"] == 4
    cfg = app.ffi.new("struct net_ipconfig *")
    app.lib.net_app_poll(app.a, 5000)
    assert app.lib.net_config_get(app.a, cfg) == EAGAIN


def test_dns_through_the_stack() -> None:
    app = App()
    app.static()
    # The server's MAC is known (it asked for ours).
    app.input(Ether(src=SRV_MAC, dst="ff:ff:ff:ff:ff:ff") /
              ARP(op=1, hwsrc=SRV_MAC, psrc="10.0.0.1", pdst="10.0.0.2"))
    app.sent()
    addr = app.ffi.new("uint32_t *")
    assert app.lib.net_dns_resolve(app.a, b"host.example", addr) == EAGAIN
    app.lib.net_app_poll(app.a, 0)
    (q,) = app.sent()
    assert q[IP].dst == "10.0.0.1" and q[UDP].dport == 53 and q[UDP].sport >= 49152
    ans = (Ether(src=SRV_MAC, dst=MAC) / IP(src="10.0.0.1", dst="10.0.0.2") /
           UDP(sport=53, dport=q[UDP].sport) /
           DNS(id=q[DNS].id, qr=1, qd=q[DNS].qd,
               an=DNSRR(rrname="host.example", ttl=30, rdata="192.0.2.9")))
    app.input(ans, 5)
    assert app.lib.net_dns_resolve(app.a, b"host.example", addr) == 0
    assert addr[0] == ip("192.0.2.9")
    # Answered from the cache afterwards: nothing sent.
    assert app.lib.net_dns_resolve(app.a, b"HOST.example", addr) == 0
    app.lib.net_app_poll(app.a, 10)
    assert app.sent() == []
    assert app.lib.api_pool_free() == 16
