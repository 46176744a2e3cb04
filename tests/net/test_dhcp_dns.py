"""The DHCP client and DNS resolver cores, fed with messages built by scapy (an
independent encoder/decoder) and driven by an explicit clock."""

from __future__ import annotations

import ipaddress
from functools import cache

import cffi
import pytest
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dns import DNS, DNSQR, DNSRR

from tests.hostc import build_library

MAC = bytes.fromhex("020000000002")
SERVER = "10.0.0.1"
EAGAIN, ETIMEDOUT, EHOSTUNREACH, EINVAL = -3, -8, -13, -1

CDEF = """
struct net_ipconfig { uint32_t addr, mask, router, dns; };
size_t shim_dhcp_size(void);
size_t shim_dns_size(void);
int shim_dhcp_state(const void *c);
void shim_dhcp_cfg(const void *c, struct net_ipconfig *out);
void dhcp_init(void *c, const uint8_t mac[6], const struct net_ipconfig *fallback,
               uint32_t fallback_ms);
void dhcp_start(void *c, uint64_t now_ms, uint32_t rnd);
int dhcp_poll(void *c, uint64_t now_ms, uint32_t rnd, uint8_t *out, size_t cap,
              uint32_t *src, uint32_t *dst);
int dhcp_input(void *c, const uint8_t *p, size_t len, uint64_t now_ms);
int dhcp_event(void *c);
uint32_t dhcp_probe(void *c);
void dhcp_conflict(void *c, uint64_t now_ms);
uint32_t dhcp_timeout(const void *c, uint64_t now_ms);
void dns_init(void *r, uint32_t server);
int dns_resolve(void *r, const char *name, uint64_t now_ms, uint32_t rnd, uint32_t *addr);
int dns_poll(void *r, uint64_t now_ms, uint8_t *out, size_t cap, uint16_t *sport);
int dns_input(void *r, uint32_t src, uint16_t sport, uint16_t dport, const uint8_t *msg,
              size_t len, uint64_t now_ms);
"""
SELECTING, REQUESTING, BOUND, RENEWING, REBINDING, FALLBACK, CHECKING = 1, 2, 3, 4, 5, 6, 7
EV_NONE, EV_BOUND, EV_LOST, EV_FALLBACK = 0, 1, 2, 3


def ip(s: str) -> int:
    return int(ipaddress.IPv4Address(s))


def ips(v: int) -> str:
    return str(ipaddress.IPv4Address(v))


@cache
def lib() -> tuple[cffi.FFI, object]:
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    path = build_library("netapps", ["netstack/dhcp.c", "netstack/dns.c",
                                     "tests/net/apps_shim.c"], include=["netstack"])
    return ffi, ffi.dlopen(str(path))


class Client:
    def __init__(self, fallback: str | None = None, fallback_ms: int = 0) -> None:
        self.ffi, self.lib = lib()
        self.c = self.ffi.new("uint8_t[]", self.lib.shim_dhcp_size())
        fb = self.ffi.NULL
        if fallback:
            fb = self.ffi.new("struct net_ipconfig *", [ip(fallback), ip("255.255.255.0"), 0, 0])
        self.lib.dhcp_init(self.c, MAC, fb, fallback_ms)
        self.rnd = 1000

    def start(self, now: int, xid: int = 0x11223344) -> None:
        self.lib.dhcp_start(self.c, now, xid)

    def poll(self, now: int) -> tuple[BOOTP, str, str] | None:
        out = self.ffi.new("uint8_t[600]")
        src, dst = self.ffi.new("uint32_t *"), self.ffi.new("uint32_t *")
        self.rnd += 7777
        n = self.lib.dhcp_poll(self.c, now, self.rnd, out, 600, src, dst)
        assert n >= 0
        if n == 0:
            return None
        return BOOTP(bytes(self.ffi.buffer(out, n))), ips(src[0]), ips(dst[0])

    def input(self, msg: bytes, now: int) -> None:
        self.lib.dhcp_input(self.c, msg, len(msg), now)

    @property
    def state(self) -> int:
        return int(self.lib.shim_dhcp_state(self.c))

    def event(self) -> int:
        return int(self.lib.dhcp_event(self.c))

    def probe(self) -> str:
        return ips(self.lib.dhcp_probe(self.c))

    def cfg(self) -> tuple[str, str, str, str]:
        o = self.ffi.new("struct net_ipconfig *")
        self.lib.shim_dhcp_cfg(self.c, o)
        return ips(o.addr), ips(o.mask), ips(o.router), ips(o.dns)


def opts(msg: BOOTP) -> dict[str, object]:
    return {o[0]: o[1] for o in msg[DHCP].options if isinstance(o, tuple)}


def reply(req: BOOTP, mtype: str, yiaddr: str = "10.0.0.50", lease: int = 100,
          extra: list[tuple[str, object]] | None = None, server: str = SERVER) -> bytes:
    options = [("message-type", mtype), ("server_id", server), ("lease_time", lease),
               ("subnet_mask", "255.255.255.0"), ("router", "10.0.0.1"),
               ("name_server", "10.0.0.53"), *(extra or []), "end"]
    return bytes(BOOTP(op=2, xid=req.xid, yiaddr=yiaddr, chaddr=MAC + b"\0" * 10) /
                 DHCP(options=options))


def bind(c: Client, now: int = 0, lease: int = 100) -> BOOTP:
    c.start(now)
    disc, _, _ = c.poll(now)
    c.input(reply(disc, "offer", lease=lease), now)
    req, _, _ = c.poll(now)
    c.input(reply(req, "ack", lease=lease), now)
    assert c.state == CHECKING and c.probe() == "10.0.0.50" and c.probe() == "0.0.0.0"
    assert c.poll(now + 1000) is None
    assert c.event() == EV_BOUND and c.state == BOUND
    return req


def test_discover_offer_request_ack() -> None:
    c = Client()
    c.start(0)
    disc, src, dst = c.poll(0)
    assert (src, dst) == ("0.0.0.0", "255.255.255.255")
    o = opts(disc)
    assert o["message-type"] == 1 and disc.op == 1 and disc.chaddr[:6] == MAC
    assert disc.flags == 0x8000 and disc.xid == 0x11223344
    assert set(o["param_req_list"]) >= {1, 3, 6, 51}
    assert c.poll(0) is None  # nothing more until the retransmission time
    c.input(reply(disc, "offer"), 10)
    assert c.state == REQUESTING
    req, src, dst = c.poll(10)
    o = opts(req)
    assert o["message-type"] == 3 and o["requested_addr"] == "10.0.0.50"
    assert o["server_id"] == SERVER and dst == "255.255.255.255"
    c.input(reply(req, "ack"), 20)
    # The address is probed with ARP for a second before it is used.
    assert c.event() == EV_NONE and c.state == CHECKING
    c.poll(1019)
    assert c.event() == EV_NONE
    c.poll(1020)
    assert c.event() == EV_BOUND
    assert c.cfg() == ("10.0.0.50", "255.255.255.0", "10.0.0.1", "10.0.0.53")


def test_retransmission_backoff() -> None:
    c = Client()
    c.start(0)
    times = []
    for t in range(0, 130_000, 100):
        if c.poll(t) is not None:
            times.append(t)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # 4, 8, 16, 32, 64 s, each randomized by +-1 s (RFC 2131 4.1)
    for gap, base in zip(gaps, [4000, 8000, 16000, 32000, 64000], strict=False):
        assert base - 1100 <= gap <= base + 1100, gaps


def test_ignores_other_transactions() -> None:
    c = Client()
    c.start(0)
    disc, _, _ = c.poll(0)
    other = BOOTP(bytes(disc))
    other.xid ^= 1
    c.input(reply(other, "offer"), 1)
    c.input(bytes(BOOTP(op=2, xid=disc.xid, chaddr=b"\x02" * 6 + b"\0" * 10) /
                  DHCP(options=[("message-type", "offer"), ("server_id", SERVER), "end"])), 1)
    c.input(b"\x02" * 100, 1)
    assert c.state == SELECTING


def test_renew_rebind_and_expiry() -> None:
    c = Client()
    bind(c, lease=100)
    assert c.poll(49_999) is None
    req, src, dst = c.poll(50_000)  # T1: unicast renewal from our address
    assert c.state == RENEWING and (src, dst) == ("10.0.0.50", SERVER)
    assert req.ciaddr == "10.0.0.50" and opts(req)["message-type"] == 3
    assert "requested_addr" not in opts(req)
    c.input(reply(req, "ack", lease=100), 51_000)
    assert c.event() == EV_BOUND and c.state == BOUND
    # No answer to renewals: rebinding (broadcast) at T2 = 7/8 lease, then expiry.
    c.poll(101_000)
    assert c.state == RENEWING
    req, src, dst = c.poll(51_000 + 87_500)
    assert c.state == REBINDING and dst == "255.255.255.255" and src == "10.0.0.50"
    assert req.ciaddr == "10.0.0.50"
    # Retransmissions wait half the time left, at least 60 s (RFC 2131 4.4.5): with
    # 12.5 s left, the next event is the expiry.
    assert c.poll(150_999) is None
    c.poll(151_000)
    assert c.event() == EV_LOST and c.state == SELECTING
    disc, _, _ = c.poll(151_000)
    assert opts(disc)["message-type"] == 1


def test_t1_t2_options_and_nak() -> None:
    c = Client()
    c.start(0)
    disc, _, _ = c.poll(0)
    c.input(reply(disc, "offer"), 0)
    req, _, _ = c.poll(0)
    c.input(reply(req, "ack", lease=1000, extra=[("renewal_time", 10), ("rebinding_time", 20)]), 0)
    c.poll(1000)
    assert c.event() == EV_BOUND
    assert c.poll(9_999) is None
    req, _, _ = c.poll(10_000)
    c.input(reply(req, "nak"), 10_001)
    assert c.event() == EV_LOST and c.state == SELECTING


def test_address_conflict_declines() -> None:
    c = Client()
    c.start(0)
    disc, _, _ = c.poll(0)
    c.input(reply(disc, "offer"), 0)
    req, _, _ = c.poll(0)
    c.input(reply(req, "ack"), 0)
    assert c.probe() == "10.0.0.50"
    c.lib.dhcp_conflict(c.c, 300)  # someone answered the ARP probe
    dec, src, dst = c.poll(300)
    o = opts(dec)
    assert o["message-type"] == 4 and o["requested_addr"] == "10.0.0.50"
    assert o["server_id"] == SERVER and (src, dst) == ("0.0.0.0", "255.255.255.255")
    assert c.event() == EV_NONE and c.state == SELECTING
    # RFC 2131 3.1: at least ten seconds before starting over.
    assert all(c.poll(t) is None for t in range(300, 10_300, 500))
    disc2, _, _ = c.poll(10_300)
    assert opts(disc2)["message-type"] == 1 and disc2.xid != disc.xid


def test_ack_from_other_server_ignored_while_requesting() -> None:
    c = Client()
    c.start(0)
    disc, _, _ = c.poll(0)
    c.input(reply(disc, "offer"), 0)
    req, _, _ = c.poll(0)
    c.input(reply(req, "ack", server="10.0.0.99"), 1)
    assert c.state == REQUESTING


def test_static_fallback() -> None:
    c = Client(fallback="10.0.0.77", fallback_ms=10_000)
    c.start(0)
    for t in range(0, 10_000, 500):
        c.poll(t)
    assert c.event() == EV_NONE
    c.poll(10_000)
    assert c.event() == EV_FALLBACK and c.cfg()[0] == "10.0.0.77"


class Resolver:
    def __init__(self, server: str = "10.0.0.53") -> None:
        self.ffi, self.lib = lib()
        self.r = self.ffi.new("uint8_t[]", self.lib.shim_dns_size())
        self.lib.dns_init(self.r, ip(server))
        self.rnd = 0x5EED

    def resolve(self, name: str, now: int) -> tuple[int, str]:
        a = self.ffi.new("uint32_t *")
        self.rnd = (self.rnd * 1103515245 + 12345) & 0xFFFFFFFF
        rc = self.lib.dns_resolve(self.r, name.encode(), now, self.rnd, a)
        return int(rc), ips(a[0])

    def poll(self, now: int) -> list[tuple[DNS, int]]:
        out = []
        buf = self.ffi.new("uint8_t[512]")
        port = self.ffi.new("uint16_t *")
        while (n := self.lib.dns_poll(self.r, now, buf, 512, port)) > 0:
            out.append((DNS(bytes(self.ffi.buffer(buf, n))), port[0]))
        return out

    def input(self, msg: bytes, dport: int, now: int, src: str = "10.0.0.53",
              sport: int = 53) -> int:
        return int(self.lib.dns_input(self.r, ip(src), sport, dport, msg, len(msg), now))


def answer(q: DNS, *rrs: DNSRR, rcode: int = 0) -> bytes:
    return bytes(DNS(id=q.id, qr=1, rd=1, ra=1, rcode=rcode, qd=q.qd, an=list(rrs) or None))


def test_query_answer_and_cache() -> None:
    r = Resolver()
    assert r.resolve("www.Example.com", 0)[0] == EAGAIN
    ((q, port),) = r.poll(0)
    assert q.qr == 0 and q.rd == 1 and q.qd[0].qname == b"www.Example.com."
    assert q.qd[0].qtype == 1 and 49152 <= port <= 65535
    assert r.resolve("www.example.com", 1)[0] == EAGAIN  # same query, case-insensitive
    assert r.poll(1) == []
    ans = answer(q, DNSRR(rrname="www.example.com", type="CNAME", rdata="web.example.com"),
                 DNSRR(rrname="web.example.com", type="A", ttl=60, rdata="192.0.2.7"))
    assert r.input(ans, port, 5) == 1
    assert r.resolve("www.example.com", 6) == (0, "192.0.2.7")
    # Cached for the TTL: no new query.
    assert r.resolve("www.example.com.", 59_000) == (0, "192.0.2.7")
    assert r.poll(59_000) == []
    assert r.resolve("www.example.com", 61_000)[0] == EAGAIN
    assert len(r.poll(61_000)) == 1


def test_nxdomain_and_retries() -> None:
    r = Resolver()
    r.resolve("nope.example", 0)
    ((q, port),) = r.poll(0)
    r.input(answer(q, rcode=3), port, 1)
    assert r.resolve("nope.example", 2)[0] == EHOSTUNREACH
    # Timeouts: sent at 0, 1 s, 3 s; given up at 7 s.
    r.resolve("slow.example", 0)
    sent = [t for t in range(0, 8000, 100) if r.poll(t)]
    assert sent == [0, 1000, 3000]
    assert r.resolve("slow.example", 7000)[0] == ETIMEDOUT
    assert r.resolve("a..b", 0)[0] == EINVAL
    assert r.resolve("x" * 64, 0)[0] == EINVAL


def test_spoofed_answers_rejected() -> None:
    r = Resolver()
    r.resolve("bank.example", 0)
    ((q, port),) = r.poll(0)
    good = DNSRR(rrname="bank.example", type="A", ttl=60, rdata="192.0.2.1")
    evil = DNSRR(rrname="bank.example", type="A", ttl=60, rdata="203.0.113.66")
    wrong_id = DNS(bytes(DNS(id=q.id ^ 1, qr=1, qd=q.qd, an=evil)))
    r.input(bytes(wrong_id), port, 1)
    r.input(answer(q, evil), port, 1, src="10.0.0.66")
    r.input(answer(q, evil), port, 1, sport=5353)
    other_q = DNS(id=q.id, qr=1, qd=DNSQR(qname="other.example"), an=evil)
    r.input(bytes(other_q), port, 1)
    assert r.input(answer(q, evil), port ^ 1, 1) == 0  # not our port at all
    assert r.resolve("bank.example", 2)[0] == EAGAIN
    r.input(answer(q, good), port, 3)
    assert r.resolve("bank.example", 4) == (0, "192.0.2.1")


def test_ids_and_ports_vary() -> None:
    r = Resolver()
    seen = set()
    for i in range(2):
        r.resolve(f"h{i}.example", 0)
    for q, port in r.poll(0):
        seen.add((q.id, port))
    assert len(seen) == 2 and len({s[0] for s in seen}) == 2 and len({s[1] for s in seen}) == 2
    # Both query slots busy: a third name must wait.
    assert r.resolve("h2.example", 0)[0] == -2


@pytest.mark.parametrize("bad", [
    b"",
    b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00",
    # An answer whose name is a compression pointer to itself.
    b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\x01a\x00\x00\x01\x00\x01\xc0\x15",
])
def test_malformed_answers(bad: bytes) -> None:
    r = Resolver()
    r.resolve("a", 0)
    ((q, port),) = r.poll(0)
    assert r.input(bad, port, 1) == 1
    assert r.resolve("a", 2)[0] == EAGAIN
