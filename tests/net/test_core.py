"""The stack's core (Ethernet, ARP, IPv4, ICMP, UDP) driven frame by frame, with
scapy as the independent reference for every packet that goes in or comes out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, UDP, fragment
from scapy.layers.l2 import ARP, Ether

from tests.net.netlib import ADDR, MAC, PBUF_COUNT, PEER, PEER_MAC, Stack


def eth(payload: object, dst: str = MAC) -> Ether:
    return Ether(src=PEER_MAC, dst=dst) / payload


def learn_peer(s: Stack) -> None:
    """Teach the stack the peer's MAC with an ARP request for our address."""
    s.input(bytes(eth(ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=ADDR), "ff:ff:ff:ff:ff:ff")))
    s.sent()


def test_gratuitous_arp_at_link_up() -> None:
    s = Stack()
    (f,) = s.sent()
    a = Ether(f)
    assert a.dst == "ff:ff:ff:ff:ff:ff" and a[ARP].op == 1
    assert a[ARP].psrc == ADDR and a[ARP].pdst == ADDR and a[ARP].hwsrc == MAC


def test_arp_reply_to_request(stack: Stack) -> None:
    stack.sent()
    req = eth(ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=ADDR), "ff:ff:ff:ff:ff:ff")
    stack.input(bytes(req))
    (f,) = stack.sent()
    r = Ether(f)
    assert r.dst == PEER_MAC and r[ARP].op == 2
    assert r[ARP].hwsrc == MAC and r[ARP].psrc == ADDR
    assert r[ARP].hwdst == PEER_MAC and r[ARP].pdst == PEER
    # A request for someone else is not answered.
    other = ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst="10.0.0.9")
    stack.input(bytes(eth(other, "ff:ff:ff:ff:ff:ff")))
    assert stack.sent() == []


def test_arp_resolution_queue_retries_and_expiry(stack: Stack) -> None:
    stack.sent()
    for i in range(3):
        assert stack.udp_send(1000, "10.0.0.7", 2000, b"q%d" % i) == 0
    (req,) = stack.sent()
    assert Ether(req)[ARP].pdst == "10.0.0.7" and Ether(req)[ARP].op == 1
    assert stack.pool_free() == PBUF_COUNT - 3  # the three datagrams wait
    # Retries at the retry interval, then the queue is dropped.
    stack.poll(999)
    assert stack.sent() == []
    stack.poll(1000)
    assert len(stack.sent()) == 1
    stack.poll(2000)
    assert len(stack.sent()) == 1
    stack.poll(3000)
    assert stack.sent() == []
    assert stack.counter("arp_timeout") == 3
    assert stack.pool_free() == PBUF_COUNT


def test_arp_reply_releases_queue_in_order(stack: Stack) -> None:
    stack.sent()
    for i in range(3):
        stack.udp_send(1000, PEER, 2000, b"m%d" % i)
    stack.sent()
    stack.input(bytes(eth(ARP(op=2, hwsrc=PEER_MAC, psrc=PEER, hwdst=MAC, pdst=ADDR))))
    out = [Ether(f) for f in stack.sent()]
    assert [bytes(f[UDP].payload) for f in out] == [b"m0", b"m1", b"m2"]
    assert all(f.dst == PEER_MAC for f in out)
    assert stack.pool_free() == PBUF_COUNT


def test_arp_queue_is_bounded(stack: Stack) -> None:
    stack.sent()
    results = [stack.udp_send(1000, PEER, 2000, b"x") for _ in range(10)]
    assert results.count(0) == 4 and stack.counter("arp_q_full") == 6
    for t in (1000, 2000, 3000):
        stack.poll(t)
    assert stack.pool_free() == PBUF_COUNT


def test_arp_entry_expires(stack: Stack) -> None:
    learn_peer(stack)
    stack.udp_send(1000, PEER, 2000, b"x")
    assert Ether(stack.sent()[0]).haslayer(UDP)
    stack.poll(300_000)
    stack.udp_send(1000, PEER, 2000, b"x")
    assert Ether(stack.sent()[0]).haslayer(ARP)


def test_ping_reply(stack: Stack) -> None:
    learn_peer(stack)
    req = eth(IP(src=PEER, dst=ADDR) / ICMP(type=8, id=0x1234, seq=7) / (b"abc" * 100))
    stack.input(bytes(req))
    (f,) = stack.sent()
    r = Ether(f)
    assert r[IP].src == ADDR and r[IP].dst == PEER and r[ICMP].type == 0
    assert r[ICMP].id == 0x1234 and r[ICMP].seq == 7 and bytes(r[ICMP].payload) == b"abc" * 100
    # Checksums as scapy computes them.
    raw = Ether(f)
    del raw[IP].chksum
    del raw[ICMP].chksum
    again = Ether(bytes(raw))
    assert again[IP].chksum == r[IP].chksum and again[ICMP].chksum == r[ICMP].chksum
    assert stack.counter("icmp_echo") == 1


def test_no_echo_to_broadcast_or_bad_checksum(stack: Stack) -> None:
    learn_peer(stack)
    stack.input(bytes(eth(IP(src=PEER, dst="255.255.255.255") / ICMP(), "ff:ff:ff:ff:ff:ff")))
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / ICMP(chksum=0x1234))))
    assert stack.sent() == []
    assert stack.counter("icmp_bad") == 1


def test_ip_header_validation(stack: Stack) -> None:
    learn_peer(stack)
    good = eth(IP(src=PEER, dst=ADDR) / ICMP())
    bad = [
        eth(IP(src=PEER, dst=ADDR, chksum=0xBEEF) / ICMP()),
        eth(IP(src=PEER, dst=ADDR, version=6) / ICMP()),
        eth(IP(src=PEER, dst=ADDR, ihl=4) / ICMP()),
        eth(IP(src=PEER, dst=ADDR, len=2000) / ICMP()),
        eth(IP(src=PEER, dst=ADDR, len=10) / ICMP()),
        bytes(good)[:14 + 19],
        # An option whose length runs past the header.
        eth(IP(src=PEER, dst=ADDR, options=b"\x07\x27\x04\x00") / ICMP()),
        eth(IP(src=PEER, dst=ADDR, options=b"\x83\x01\x00\x00") / ICMP()),
    ]
    for b in bad:
        stack.input(bytes(b))
    assert stack.sent() == []
    assert stack.counter("ip_bad") == len(bad)
    # Valid options are skipped and the packet is answered; padding after the
    # datagram (short Ethernet frames) is ignored.
    opts = b"\x01\x01\x07\x07\x04\x00\x00\x00\x00\x00\x00"
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR, options=opts) / ICMP())))
    stack.input(bytes(good) + b"\0" * 20)
    assert len(stack.sent()) == 2
    assert stack.pool_free() == PBUF_COUNT


def test_not_ours_dropped(stack: Stack) -> None:
    learn_peer(stack)
    stack.input(bytes(eth(IP(src="0.0.0.0", dst=ADDR) / ICMP())))
    stack.input(bytes(eth(IP(src=ADDR, dst=ADDR) / ICMP())))
    stack.input(bytes(eth(IP(src="224.0.0.5", dst=ADDR) / ICMP())))
    stack.input(bytes(eth(IP(src=PEER, dst="10.0.0.99") / ICMP())))
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / ICMP(), "02:00:00:00:00:99")))
    stack.input(bytes(eth(IP(src=PEER, dst="224.0.0.1") / ICMP(), "01:00:5e:00:00:01")))
    assert stack.sent() == []
    assert stack.counter("ip_not_ours") == 4 and stack.counter("eth_drop") == 2


def test_udp_receive_and_queue_limit(stack: Stack) -> None:
    learn_peer(stack)
    stack.udp_bind(0, 7)
    for i in range(6):
        d = IP(src=PEER, dst=ADDR) / UDP(sport=5000 + i, dport=7) / (b"d%d" % i)
        stack.input(bytes(eth(d)))
    assert stack.counter("udp_q_full") == 2
    assert stack.pool_free() == PBUF_COUNT - 4  # queued datagrams keep their frame buffers
    got = [stack.udp_recv(0) for _ in range(5)]
    assert got[:4] == [(b"d%d" % i, PEER, 5000 + i) for i in range(4)] and got[4] is None
    assert stack.pool_free() == PBUF_COUNT


def test_udp_bad_checksum_and_length(stack: Stack) -> None:
    learn_peer(stack)
    stack.udp_bind(0, 7)
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / UDP(sport=1, dport=7, chksum=0x1111) / b"x")))
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / UDP(sport=1, dport=7, len=30) / b"x")))
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / UDP(sport=1, dport=7, chksum=0) / b"nocsum")))
    assert stack.counter("udp_bad") == 2
    assert stack.udp_recv(0) == (b"nocsum", PEER, 1)


def test_udp_send_checksum(stack: Stack) -> None:
    learn_peer(stack)
    for payload in [b"", b"a", b"hello world", bytes(range(256)) * 5]:
        assert stack.udp_send(1234, PEER, 53, payload) == 0
        r = Ether(stack.sent()[0])
        assert bytes(r[UDP].payload) == payload and r[UDP].sport == 1234
        c = r[UDP].chksum
        del r[UDP].chksum
        assert Ether(bytes(r))[UDP].chksum == c
    assert stack.udp_send(1234, PEER, 53, b"x" * 1473) < 0
    assert stack.udp_send(1234, PEER, 53, b"x" * 1472) == 0


def test_port_unreachable_rate_limited(stack: Stack) -> None:
    learn_peer(stack)
    d = eth(IP(src=PEER, dst=ADDR) / UDP(sport=4000, dport=9999) / b"probe")
    for _ in range(25):
        stack.input(bytes(d))
    out = [Ether(f) for f in stack.sent()]
    assert len(out) == 10 and stack.counter("icmp_ratelimited") == 15
    e = out[0]
    assert e[ICMP].type == 3 and e[ICMP].code == 3
    quoted = IP(bytes(e[ICMP].payload))
    assert quoted.dst == ADDR and quoted[UDP].dport == 9999
    # Tokens come back with time.
    stack.input(bytes(d), now=1000)
    assert len(stack.sent()) == 1
    # Never for broadcasts.
    bcast = IP(src=PEER, dst="10.0.0.255") / UDP(sport=1, dport=9999)
    stack.input(bytes(eth(bcast, "ff:ff:ff:ff:ff:ff")), now=5000)
    assert stack.sent() == []


def reassembly_datagram(size: int = 1200) -> IP:
    return IP(src=PEER, dst=ADDR, id=0x4242) / UDP(sport=3000, dport=7) / bytes(
        (i * 7) & 0xFF for i in range(size))


def test_reassembly_any_order_with_duplicates(stack: Stack) -> None:
    learn_peer(stack)
    stack.udp_bind(0, 7)
    dgram = reassembly_datagram()
    frags = fragment(dgram, fragsize=256)
    assert len(frags) == 5
    order = [frags[3], frags[0], frags[4], frags[0], frags[2], frags[1], frags[1]]
    for f in order:
        stack.input(bytes(eth(f)))
    got = stack.udp_recv(0)
    assert got is not None and got[0] == bytes(dgram[UDP].payload)
    assert stack.counter("reass_ok") == 1 and stack.counter("reass_dup") == 1
    assert stack.pool_free() == PBUF_COUNT


def test_reassembly_overlap_discards(stack: Stack) -> None:
    learn_peer(stack)
    stack.udp_bind(0, 7)
    dgram = reassembly_datagram()
    frags = fragment(dgram, fragsize=256)
    # A fragment rewriting bytes already held (same offset, different data).
    evil = frags[1].copy()
    evil[IP].remove_payload()
    evil = IP(bytes(frags[1])[:20]) / (b"\xEE" * 256)
    evil.frag = frags[1].frag
    evil.flags = "MF"
    del evil.chksum, evil.len
    for f in [frags[0], frags[1], evil, frags[2], frags[3], frags[4]]:
        stack.input(bytes(eth(f)))
    assert stack.counter("reass_overlap") == 1
    assert stack.udp_recv(0) is None
    stack.poll(20_000)
    assert stack.pool_free() == PBUF_COUNT


def test_reassembly_timeout_and_slot_limit(stack: Stack) -> None:
    learn_peer(stack)
    for ident in range(4):
        f = fragment(IP(src=PEER, dst=ADDR, id=ident) / UDP(dport=7) / (b"z" * 600), fragsize=256)
        stack.input(bytes(eth(f[0])))
    assert stack.counter("reass_nomem") == 2
    stack.poll(9_999)
    assert stack.counter("reass_timeout") == 0
    stack.poll(10_000)
    assert stack.counter("reass_timeout") == 2


def test_reassembly_too_big(stack: Stack) -> None:
    learn_peer(stack)
    f = fragment(IP(src=PEER, dst=ADDR, id=9) / UDP(dport=7) / (b"z" * 3000), fragsize=1024)
    for x in f:
        stack.input(bytes(eth(x)))
    assert stack.counter("reass_bad") >= 1 and stack.counter("reass_ok") == 0


def test_unread_udp_queues_cannot_starve_the_stack(stack: Stack) -> None:
    """Four sockets never read: their queues could hold every buffer; the reserve
    keeps enough free that ping and ARP still work."""
    learn_peer(stack)
    for i in range(4):
        stack.udp_bind(i, 100 + i)
    for n in range(40):
        stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / UDP(sport=9, dport=100 + n % 4) / b"q")))
    assert stack.pool_free() >= 4 and stack.counter("udp_q_full") > 0
    stack.sent()
    stack.input(bytes(eth(IP(src=PEER, dst=ADDR) / ICMP() / b"still there?")))
    (reply,) = stack.sent()
    assert Ether(reply)[ICMP].type == 0
    for i in range(4):
        while stack.udp_recv(i) is not None:
            pass
    assert stack.pool_free() == PBUF_COUNT


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_reassembly_property(data: st.DataObject) -> None:
    """Any split of a datagram into 8-byte-aligned fragments, delivered in any order
    with any duplicates, reassembles exactly; adding one fragment that rewrites held
    bytes with different content makes the datagram vanish (never a mix)."""
    s = Stack()
    learn_peer(s)
    s.udp_bind(0, 7)
    size = data.draw(st.integers(16, 1400), label="payload")
    payload = bytes(data.draw(st.binary(min_size=size, max_size=size)))
    # With its checksum (over the pseudo-header): a mix of real and rewritten bytes
    # completed before the real fragment arrives is caught there.
    udp = bytes(IP(bytes(IP(src=PEER, dst=ADDR) / UDP(sport=5, dport=7) / payload))[UDP])
    blocks = (len(udp) + 7) // 8
    cuts = sorted(data.draw(st.sets(st.integers(1, blocks - 1), min_size=1, max_size=8),
                            label="cuts"))
    edges = [0, *[c * 8 for c in cuts], len(udp)]
    frags = [(a, udp[a:b], b != len(udp)) for a, b in zip(edges, edges[1:], strict=False)]
    order = data.draw(st.permutations(frags), label="order")
    dups = data.draw(st.lists(st.sampled_from(frags), max_size=3), label="dups")
    evil = None
    if data.draw(st.booleans(), label="evil"):
        a, chunk, more = data.draw(st.sampled_from(frags), label="victim")
        # One byte changed: always a different checksum (a +1 in one byte moves a
        # ones' complement sum by 1 or 256, never by 0 or 0xFFFF).
        evil = (a, bytes([(chunk[0] + 1) & 0xFF]) + chunk[1:], more)
    seq = list(order) + list(dups)
    if evil is not None:
        seq.insert(data.draw(st.integers(0, len(seq) - 1), label="at"), evil)
    for off, chunk, more in seq:
        f = IP(src=PEER, dst=ADDR, id=0x777, proto=17, flags="MF" if more else 0,
               frag=off // 8) / chunk
        s.input(bytes(eth(f)))
    got = s.udp_recv(0)
    if evil is None:
        assert got is not None and got[0] == payload
    else:
        # The rewrite may come after completion (then the datagram was already
        # delivered whole) or before (then nothing is delivered): never a mix.
        assert got is None or got[0] == payload
    while s.udp_recv(0) is not None:
        pass
    s.poll(60_000)
    assert s.pool_free() == PBUF_COUNT and s.bad_free() == 0


def test_arp_cache_bounded_and_learns_only_when_addressed(stack: Stack) -> None:
    def ask(i: int, target: str = ADDR, now: int = 0) -> None:
        mac = f"02:00:00:00:01:{i:02x}"
        stack.input(bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                          ARP(op=1, hwsrc=mac, psrc=f"10.0.0.{100 + i}", pdst=target)), now=now)

    def resolved(i: int) -> bool:
        stack.sent()
        stack.udp_send(1, f"10.0.0.{100 + i}", 2, b"?")
        out = stack.sent()
        return bool(out) and Ether(out[0]).haslayer(UDP)

    ask(50, target="10.0.0.77")  # a request for someone else teaches nothing
    assert not resolved(50)
    for i in range(8):  # the cache holds 8 (one is now pending for .150)
        ask(i, now=i)
    # The pending entry is never evicted; the resolved one closest to expiry (.100,
    # learned first) made room for the others.
    assert not resolved(0)
    assert all(resolved(i) for i in range(2, 8))
