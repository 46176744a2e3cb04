"""The core against a scripted peer (scapy segments through cffi), no OS involved."""

from __future__ import annotations

import pytest

from tests.tcp.scripted import CORE_IP, MSL, NSOCK, PEER_IP, RCVBUF, Peer, Stack, ffi, seg

M32 = 2**32
APOGEE_DELACK = 40  # APOGEE_TCP_DELACK_MS default


def listen(st: Stack, port: int = 80, backlog: int = 4) -> int:
    lsd = int(st.L.tcp_listen(st.s, port, backlog))
    assert lsd >= 0
    return lsd


def established(seed: int = 1, **kw: object) -> tuple[Stack, Peer, int, int]:
    st = Stack(seed=seed)
    lsd = listen(st)
    p = Peer(st, 40000, 80, **kw)  # type: ignore[arg-type]
    sd = p.handshake_to(lsd)
    assert st.state(sd) == "ESTABLISHED"
    return st, p, lsd, sd


def test_passive_open_negotiates_options() -> None:
    st = Stack()
    lsd = listen(st)
    p = Peer(st, 40000, 80)
    p.snd_nxt = p.isn
    p.send("S", options=p.syn_opts())
    (sa,) = st.out()
    assert sa.flags == "SA" and sa.ack == p.isn + 1
    assert sa.opt("MSS") == 1460
    assert sa.opt("SAckOK") is not None
    assert sa.opt("Timestamp")[1] == p.tsval  # echoes our TSval
    assert sa.opt("WScale") is not None
    p.rcv_nxt = sa.seq + 1
    p.take(sa)
    p.send("A")
    sd = st.L.tcp_accept(st.s, lsd)
    assert sd >= 0 and st.state(sd) == "ESTABLISHED"
    assert st.sock(sd, "snd_ws") == 7
    # without options from the peer: none are used
    st2 = Stack()
    listen(st2)
    q = Peer(st2, 40001, 80, ts=False, sack=False, ws=None)
    q.snd_nxt = q.isn
    q.send("S", options=[])
    (sa2,) = st2.out()
    assert sa2.opt("WScale") is None and sa2.opt("Timestamp") is None
    assert sa2.opt("SAckOK") is None


def test_data_both_ways_and_sequence_wraparound() -> None:
    st, p, _, sd = established(isn=M32 - 700)  # the peer's sequence numbers wrap
    data = bytes(range(256)) * 8
    for i in range(0, len(data), 500):
        p.send("PA", data[i:i + 500])
    assert st.recv(sd) == data
    acks = [o for o in st.out() if o.flags == "A"]
    assert acks and acks[-1].ack == (p.isn + 1 + len(data)) % M32
    assert st.send(sd, b"hello") == 5
    (o,) = st.out()
    assert o.payload == b"hello" and "P" in o.flags


def test_simultaneous_open() -> None:
    st = Stack()
    sd = st.L.tcp_connect(st.s, 0x0A000001, 7777)
    assert sd >= 0
    (syn,) = st.out()
    assert syn.flags == "S"
    p = Peer(st, 7777, syn.tcp.sport)
    p.snd_nxt = p.isn
    p.send("S", options=p.syn_opts(), ack=0)  # crosses our SYN
    (sa,) = st.out()
    assert sa.flags == "SA" and sa.seq == syn.seq and sa.ack == p.isn + 1
    assert st.state(sd) == "SYN_RCVD"
    p.rcv_nxt = syn.seq + 1
    p.take(sa)
    # the peer answers our SYN with its own SYN,ACK
    p.send("SA", seq=p.isn, options=p.opts())
    assert st.state(sd) == "ESTABLISHED"
    assert st.L.tcp_ready(st.s, sd) & 0x04


def test_simultaneous_close_and_time_wait() -> None:
    st, p, _, sd = established()
    assert st.L.tcp_close(st.s, sd) == 0
    (fin,) = st.out()
    assert "F" in fin.flags
    # the peer's FIN crosses ours (it has not seen our FIN)
    p.send("FA")
    outs = st.out()
    assert any(o.flags == "A" and o.ack == p.snd_nxt for o in outs)
    assert st.sock(sd, "state") == 8  # CLOSING
    p.take(fin)
    p.send("A")
    assert st.sock(sd, "state") == 10  # TIME_WAIT
    st.poll(2 * MSL - 10)
    assert st.sock(sd, "used") == 1
    st.poll(20)
    assert st.sock(sd, "used") == 0
    assert st.L.tcp_free_slots(st.s) == NSOCK - 1


def test_time_wait_acks_retransmitted_fin() -> None:
    st, p, _, sd = established()
    st.L.tcp_shutdown(st.s, sd)
    (fin,) = st.out()
    p.take(fin)
    p.send("A")
    assert st.state(sd) == "FIN_WAIT_2"
    p.send("FA")
    (a,) = st.out()
    assert a.flags == "A" and a.ack == p.snd_nxt
    assert st.state(sd) == "TIME_WAIT"
    assert st.L.tcp_ready(st.s, sd) & 0x08
    p.send("R", seq=p.snd_nxt, options=[])  # RFC 1337: a RST does not end TIME_WAIT
    assert st.state(sd) == "TIME_WAIT"
    st.poll(MSL)
    p.send("FA", seq=p.snd_nxt - 1)  # our ACK was lost: the FIN comes again
    (a2,) = st.out()
    assert a2.flags == "A" and a2.ack == p.snd_nxt
    st.poll(2 * MSL - 10)  # the timer restarted with the retransmitted FIN
    assert st.state(sd) == "TIME_WAIT"
    st.poll(20)
    assert st.state(sd) == "CLOSED"
    assert st.recv(sd) == b""
    st.L.tcp_close(st.s, sd)
    assert st.L.tcp_free_slots(st.s) == NSOCK - 1


def test_rfc5961_rst_handling() -> None:
    st, p, _, sd = established()
    st.out()
    # in-window but not exact: challenge ACK, connection stays
    p.send("R", seq=p.snd_nxt + 100, options=[])
    (ch,) = st.out()
    assert ch.flags == "A" and ch.ack == p.snd_nxt
    assert st.state(sd) == "ESTABLISHED"
    # outside the window: silently dropped
    p.send("R", seq=p.snd_nxt + 10 * RCVBUF, options=[])
    assert st.out() == []
    assert st.state(sd) == "ESTABLISHED"
    assert st.stats()["challenge_acks"] == 1
    # exact: reset
    p.send("R", seq=p.snd_nxt, options=[])
    assert st.state(sd) == "CLOSED"
    assert st.L.tcp_error(st.s, sd) == -9  # APG_ECONNRESET
    assert st.recv(sd) == -9


def test_rfc5961_syn_in_window_and_rate_limit() -> None:
    st, p, _, sd = established()
    st.out()
    p.send("S", seq=p.snd_nxt + 5, options=[])
    (ch,) = st.out()
    assert ch.flags == "A" and ch.ack == p.snd_nxt  # challenge ACK, no reset
    assert st.state(sd) == "ESTABLISHED"
    for i in range(40):
        p.send("R", seq=p.snd_nxt + 1 + i, options=[])
    n = len(st.out())
    s = st.stats()
    assert n <= 10 and s["challenge_limited"] >= 30, s
    st.poll(1001)
    p.send("R", seq=p.snd_nxt + 3, options=[])
    assert len(st.out()) == 1  # a new second, a new allowance


def test_data_outside_window_is_not_taken() -> None:
    st, p, _, sd = established()
    st.out()
    wnd_end = st.sock(sd, "rcv_adv")
    p.send("PA", b"X" * 100, seq=wnd_end + 10)  # beyond the window
    (a,) = st.out()
    assert a.flags == "A" and a.ack == p.snd_nxt
    assert st.recv(sd) == -3  # APG_EAGAIN: nothing was taken
    p.send("PA", b"old", seq=p.snd_nxt - 3)  # entirely old: duplicate
    (a,) = st.out()
    assert a.ack == p.snd_nxt
    # overlapping the left edge: only the new part is kept
    p.send("PA", b"abcdef")
    p.send("PA", b"defghi", seq=p.snd_nxt - 3)
    p.snd_nxt += 3
    assert st.recv(sd) == b"abcdefghi"
    assert st.stats()["rx_out_of_window"] >= 2


def test_out_of_order_kept_and_sacked() -> None:
    st, p, _, sd = established()
    st.out()
    base = p.snd_nxt
    p.send("PA", b"B" * 100, seq=base + 100)
    p.send("PA", b"D" * 100, seq=base + 300)
    outs = st.out()
    sack = outs[-1].opt("SAck")
    assert sack is not None
    blocks = set(zip(sack[::2], sack[1::2], strict=True))
    assert blocks == {(base + 300, base + 400), (base + 100, base + 200)}
    assert outs[-1].ack == base
    assert sack[0] == base + 300  # the newest block first (RFC 2018 4)
    p.send("PA", b"A" * 100, seq=base)
    p.send("PA", b"C" * 100, seq=base + 200)
    assert st.recv(sd) == b"A" * 100 + b"B" * 100 + b"C" * 100 + b"D" * 100
    assert st.sock(sd, "nooo") == 0


def test_zero_window_probe() -> None:
    st, p, _, sd = established()
    st.out()
    p.send("A", win=0)
    assert st.send(sd, b"z" * 3000) == 3000
    assert st.out() == []  # nothing while the window is zero
    times = []
    for _ in range(2000):
        st.poll(10)
        for o in st.out():
            assert len(o.payload) == 1 and o.seq == p.rcv_nxt
            times.append(st.now)
        if len(times) == 4:
            break
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and gaps[1] >= 1.8 * gaps[0] and gaps[2] >= 1.8 * gaps[1], times
    assert st.stats()["zwp_sent"] >= 4
    p.send("A", win=65535 >> 7)  # the window opens: data flows
    outs = st.out()
    assert sum(len(o.payload) for o in outs) > 1000


def test_keepalive_probes_then_timeout() -> None:
    st, p, _, sd = established()
    st.out()
    assert st.L.tcp_keepalive(st.s, sd, 2000) == 0
    st.run_until(st.now + 1990, step=10)
    assert st.out() == []
    st.run_until(st.now + 20, step=10)
    (k,) = st.out()
    assert k.seq == (p.rcv_nxt - 1) % M32 and len(k.payload) == 0  # old seq: elicits ACK
    p.send("A")  # answered: the idle timer restarts
    st.run_until(st.now + 1900, step=10)
    assert st.out() == []
    st.run_until(st.now + 200, step=10)
    assert len(st.out()) == 1
    # no answers now: 3 probes 500 ms apart, then the connection is dropped
    st.run_until(st.now + 2000, step=10)
    outs = st.out()
    assert any("R" in o.flags for o in outs)
    assert st.L.tcp_error(st.s, sd) == -8  # APG_ETIMEDOUT
    assert st.stats()["keepalives_sent"] >= 4


def test_karn_and_rto_backoff() -> None:
    # no timestamps: RTT samples come from timing one segment, so Karn's rule applies
    st, p, _, sd = established(ts=False)
    st.out()
    st.poll(50)
    st.send(sd, b"a" * 100)
    (first,) = st.out()
    rto0 = st.sock(sd, "rto")
    times = []
    for _ in range(20000):
        st.poll(5)
        for o in st.out():
            assert o.seq == first.seq and o.payload == first.payload
            times.append(st.now)
        if len(times) == 4:
            break
    # first a tail loss probe (before the RTO), then RTOs doubling each time
    assert times[0] - 1050 < rto0 and st.stats()["tlp_probes"] == 1
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert abs(gaps[0] - rto0) <= 5
    assert abs(gaps[1] - 2 * rto0) <= 10 and abs(gaps[2] - 4 * rto0) <= 20, (gaps, rto0)
    backed = st.sock(sd, "rto")
    assert backed == 8 * rto0
    srtt = st.sock(sd, "srtt8")
    p.send("A", ack=first.seq + 100)  # ACK of the retransmitted data: ambiguous
    assert st.sock(sd, "srtt8") == srtt  # Karn: no sample taken
    assert st.sock(sd, "rto") == backed  # backed-off RTO kept until a valid sample
    st.send(sd, b"b" * 100)
    (o,) = st.out()
    st.poll(3)
    p.send("A", ack=o.seq + 100)
    assert st.sock(sd, "rto") < backed  # a clean sample recomputes it


def test_fast_retransmit_on_three_dup_acks() -> None:
    st, p, _, sd = established(ts=False, sack=False, mss=1000)
    st.out()
    st.L.tcp_nodelay(st.s, sd, True)
    st.send(sd, bytes(8000))
    segs = st.out()
    assert len(segs) >= 4
    s0 = segs[0].seq
    p.send("A", ack=s0 + 1000)  # first segment arrives, the second is lost
    st.out()
    for _ in range(2):
        p.send("A", ack=s0 + 1000)
        for o in st.out():  # limited transmit may send new data, never the hole
            assert o.seq != s0 + 1000
    p.send("A", ack=s0 + 1000)
    outs = st.out()
    assert outs and outs[0].seq == s0 + 1000, [o.seq - s0 for o in outs]
    assert st.stats()["fast_retransmits"] == 1
    assert st.stats()["rto_fired"] == 0


def test_syn_flood_leaves_listener_usable_and_pools_refill() -> None:
    st = Stack()
    lsd = listen(st, backlog=4)
    for i in range(300):
        q = Peer(st, 1024 + i, 80, isn=i * 7919)
        q.snd_nxt = q.isn
        q.send("S", options=q.syn_opts())
    st.out()
    s = st.stats()
    assert s["syn_recycled"] >= 290, s
    assert st.L.tcp_free_slots(st.s) >= NSOCK - 1 - 4
    # a real client still gets in
    p = Peer(st, 50000, 80)
    sd = p.handshake_to(lsd)
    assert st.state(sd) == "ESTABLISHED"
    # when the flood stops, the embryonic connections time out
    st.run_until(st.now + 200_000, step=500)
    st.out()
    assert st.L.tcp_free_slots(st.s) == NSOCK - 2
    st.L.tcp_abort(st.s, sd)
    st.L.tcp_close(st.s, lsd)
    assert st.L.tcp_free_slots(st.s) == NSOCK


def test_close_with_unread_data_resets() -> None:
    st, p, _, sd = established()
    p.send("PA", b"unread")
    st.out()
    st.L.tcp_close(st.s, sd)
    (r,) = st.out()
    assert "R" in r.flags
    assert st.L.tcp_free_slots(st.s) == NSOCK - 1


def test_connect_refused_and_syn_retries() -> None:
    st = Stack()
    sd = st.L.tcp_connect(st.s, 0x0A000001, 9)
    (syn,) = st.out()
    p = Peer(st, 9, syn.tcp.sport)
    p.send("RA", seq=0, ack=syn.seq + 1, options=[])
    assert st.L.tcp_error(st.s, sd) == -10  # APG_ECONNREFUSED
    st.L.tcp_close(st.s, sd)
    # nobody answers: SYN retransmitted with backoff, then ETIMEDOUT
    sd = st.L.tcp_connect(st.s, 0x0A000001, 9)
    st.run_until(st.now + 200_000, step=100)
    syns = [o for o in st.out() if o.flags == "S"]
    assert len(syns) == 1 + 6
    assert st.L.tcp_error(st.s, sd) == -8


@pytest.mark.parametrize("seed", range(3))
def test_isn_differs_per_tuple_and_time(seed: int) -> None:
    st = Stack(seed=seed)
    isns = []
    for port in (7, 8):
        sd = st.L.tcp_connect(st.s, 0x0A000001, port)
        isns.append(st.out()[0].seq)
        st.L.tcp_abort(st.s, sd)
    st.poll(1000)
    sd = st.L.tcp_connect(st.s, 0x0A000001, 7)
    isns.append(st.out()[0].seq)
    assert len(set(isns)) == 3


def test_delayed_ack() -> None:
    st, p, _, sd = established(mss=1000)
    st.out()
    p.send("PA", b"a" * 100)
    assert st.out() == []  # one small segment: the ACK waits
    st.poll(39)
    assert st.out() == []
    st.poll(2)
    (a,) = st.out()
    assert a.flags == "A" and a.ack == p.snd_nxt
    p.send("A", b"b" * 1000)
    p.send("A", b"c" * 1000)  # every second full segment is ACKed at once
    (a,) = st.out()
    assert a.ack == p.snd_nxt


def test_a_burst_gets_one_ack_when_the_turn_ends() -> None:
    """Segments handed over in one main-loop turn (one driver read, a TSO super-frame
    through the TAP) are ACKed once, by the turn's tcp_poll, at the same instant the
    ACK for the first two would have left; the reads of one turn open the window
    with one update; a turn of one full segment waits for the second as before."""
    st, p, _, sd = established(mss=1000)
    st.out()
    n = RCVBUF // 1000
    assert n >= 3
    for k in range(n):
        p.send("A", bytes([k]) * 1000)
    (a,) = st.out()
    assert a.flags == "A" and a.ack == p.snd_nxt
    before = st.sock(sd, "rcv_adv")
    for k in range(n):
        assert st.recv(sd, 1000) == bytes([k]) * 1000
    (upd,) = st.out()
    assert upd.flags == "A" and upd.ack == p.snd_nxt
    assert (st.sock(sd, "rcv_adv") - before) % M32 >= n * 1000
    p.send("A", b"z" * 1000)
    assert st.out() == []  # one full segment: the delayed ACK waits
    p.send("A", b"y" * 1000)
    (a,) = st.out()
    assert a.ack == p.snd_nxt


def test_checksum_offload_both_ways() -> None:
    """Transmit: with offload on, every segment carries the pseudo-header sum for the
    NIC to complete (checked, then completed as a NIC would, in out(partial=True)).
    Receive: a segment the NIC vouched for is taken without summing, a wrong
    checksum included, while tcp_input still drops it."""
    st, p, _, sd = established()
    st.out()
    st.L.tcp_nodelay(st.s, sd, True)
    st.L.tcp_set_tx_csum_offload(st.s, True)
    assert st.send(sd, b"q" * 3000) == 3000
    segs = st.out(partial=True)
    assert sum(len(o.payload) for o in segs) == 3000
    st.L.tcp_set_tx_csum_offload(st.s, False)
    for o in segs:
        p.take(o)
    p.send("A")
    assert st.send(sd, b"r" * 10) == 10
    assert [o.payload for o in st.out()] == [b"r" * 10]  # full checksums again
    for bad in (False, True):
        raw = bytearray(seg(p.port, p.core_port, "PA", p.snd_nxt, p.rcv_nxt, b"z",
                            win=p.win, options=p.opts()))
        raw[16] ^= 0xFF
        if bad:
            before = st.stats()["rx_bad_csum"]
            st.feed(bytes(raw))
            assert st.recv(sd) == -3  # APG_EAGAIN: dropped
            assert st.stats()["rx_bad_csum"] == before + 1
        else:
            st.L.tcp_input_csum_ok(st.s, PEER_IP, CORE_IP, bytes(raw), len(raw), st.now)
            p.snd_nxt += 1
            assert st.recv(sd) == b"z"


def test_nagle_coalesces_small_writes() -> None:
    st, p, _, sd = established(ts=False)
    st.out()
    st.send(sd, b"1" * 10)
    (o,) = st.out()  # idle connection: goes at once
    assert o.payload == b"1" * 10
    st.send(sd, b"2" * 10)
    st.send(sd, b"3" * 10)
    assert st.out() == []  # unacknowledged data: small writes wait
    p.take(o)
    p.send("A")
    (o2,) = st.out()
    assert o2.payload == b"2" * 10 + b"3" * 10
    st.L.tcp_nodelay(st.s, sd, True)
    st.send(sd, b"4" * 10)
    (o3,) = st.out()
    assert o3.payload == b"4" * 10


def test_peer_window_scale_is_applied() -> None:
    st, p, _, sd = established(ws=7)
    st.out()
    p.send("A", win=4)  # 4 << 7 = 512 bytes
    assert st.sock(sd, "snd_wnd") == 512
    st.L.tcp_nodelay(st.s, sd, True)
    st.send(sd, bytes(5000))
    outs = st.out()
    assert sum(len(o.payload) for o in outs) == 512


def test_paws_drops_old_timestamp() -> None:
    st, p, _, sd = established()
    st.out()
    p.send("PA", b"new")
    assert st.recv(sd) == b"new"
    old = [("Timestamp", (p.tsval - 100, p.ts_echo))]
    p.send("PA", b"old", options=old)
    assert st.recv(sd) == -3
    assert st.stats()["rx_paws"] == 1
    assert any(o.flags == "A" for o in st.out())


def test_sack_steers_retransmission() -> None:
    st, p, _, sd = established(ts=False, mss=1000)
    st.out()
    st.L.tcp_nodelay(st.s, sd, True)
    st.send(sd, bytes(12000))
    segs = st.out()
    s0 = segs[0].seq
    p.send("A", ack=s0 + 1000)  # slow start lets more go
    segs += st.out()
    sent = sorted({o.seq - s0 for o in segs})
    assert len(sent) >= 6, sent
    # 1000..2000 lost, 2000..4000 arrived, 4000..5000 lost, 5000..6000 arrived
    sacks = [("SAck", (s0 + 2000, s0 + 4000, s0 + 5000, s0 + 6000))]
    re: list[int] = []
    for _ in range(4):
        p.send("A", ack=s0 + 1000, options=sacks)
        re += [o.seq - s0 for o in st.out() if o.seq - s0 < 6000]
    assert re[:2] == [1000, 4000], re  # the holes, never the SACKed data
    assert 2000 not in re and 3000 not in re and 5000 not in re
    assert st.stats()["sack_retransmits"] >= 1


def test_closing_listener_resets_unaccepted() -> None:
    st = Stack()
    lsd = listen(st)
    p = Peer(st, 41000, 80)
    p.snd_nxt = p.isn
    p.send("S", options=p.syn_opts())
    (sa,) = st.out()
    p.rcv_nxt = sa.seq + 1
    p.take(sa)
    p.send("A")  # established, queued, not accepted
    st.L.tcp_close(st.s, lsd)
    (r,) = st.out()
    assert "R" in r.flags and r.seq == sa.seq + 1
    assert st.L.tcp_free_slots(st.s) == NSOCK


def test_our_zero_window_holds_data_off() -> None:
    st, p, _, sd = established(mss=1460, ws=0)
    st.out()
    total = 0
    while st.sock(sd, "rcv_adv") != st.sock(sd, "rcv_nxt"):
        room = (st.sock(sd, "rcv_adv") - st.sock(sd, "rcv_nxt")) % M32
        n = min(1000, room)
        p.send("PA", b"f" * n)
        total += n
    st.poll(APOGEE_DELACK + 1)
    outs = st.out()
    assert outs[-1].win == 0
    assert total == RCVBUF
    p.send("PA", b"x", seq=p.snd_nxt)  # the peer's window probe
    (a,) = st.out()
    assert a.ack == p.snd_nxt and a.win == 0
    assert st.sock(sd, "rb_len") == RCVBUF  # the byte was not taken
    got = st.recv(sd, RCVBUF)
    assert isinstance(got, bytes) and len(got) == RCVBUF
    (upd,) = st.out()  # reading opens the window: an update goes out
    assert upd.win > 0


def test_address_change_keeps_old_connections() -> None:
    st, p, _, sd = established()
    st.out()
    st.L.tcp_set_local_ip(st.s, 0x0A000063)  # new address (e.g. DHCP renew)
    p.send("PA", b"still here")  # to the old address, on the old connection
    assert st.recv(sd) == b"still here"
    from tests.tcp.scripted import seg
    # a segment to an address the stack does not have (and no connection uses)
    st.feed(seg(41001, 80, "S", 1234, dst="10.0.0.77"), dst=0x0A00004D)
    assert st.out() == []
    assert st.stats()["rx_bad_addr"] == 1
    # new connections go out from the new address
    c = st.L.tcp_connect(st.s, 0x0A000001, 7)
    assert c >= 0
    buf = ffi().new("uint8_t[]", 2048)
    src, dst = ffi().new("uint32_t *"), ffi().new("uint32_t *")
    assert st.L.shim_pop(buf, src, dst) > 0 and src[0] == 0x0A000063


@pytest.mark.parametrize("mutate", ["csum", "short", "doff_big", "doff_small", "optlen",
                                     "synrst", "noflags", "bcast"])
def test_malformed_segments_dropped_and_counted(mutate: str) -> None:
    st, p, _, sd = established()
    st.out()
    before = st.stats()
    from tests.tcp.scripted import seg
    raw = bytearray(seg(p.port, 80, "PA", p.snd_nxt, p.rcv_nxt, b"data"))
    src = 0x0A000001
    dst = 0x0A000002
    if mutate == "csum":
        raw[16] ^= 0xFF
    elif mutate == "short":
        raw = raw[:19]
    elif mutate == "doff_big":
        raw[12] = 0xF0
    elif mutate == "doff_small":
        raw[12] = 0x40
    elif mutate == "optlen":
        raw = bytearray(seg(p.port, 80, "PA", p.snd_nxt, p.rcv_nxt, b"data",
                            options=[("NOP", None)]))
        raw[12] = 0x60
        raw[20:24] = b"\x08\x00\x01\x01"  # length 0: malformed
        raw[16:18] = b"\0\0"
        c = st.L.shim_checksum(src, dst, bytes(raw), len(raw))
        raw[16:18] = c.to_bytes(2, "big")
    elif mutate == "synrst":
        raw = bytearray(seg(p.port, 80, "SR", p.snd_nxt, 0))
    elif mutate == "noflags":
        raw = bytearray(seg(p.port, 80, "", p.snd_nxt, 0))
    elif mutate == "bcast":
        raw = bytearray(seg(p.port, 80, "PA", p.snd_nxt, p.rcv_nxt, b"data",
                            src="255.255.255.255"))
        src = 0xFFFFFFFF
    st.feed(bytes(raw), src=src, dst=dst)
    after = st.stats()
    assert st.out() == []
    assert st.recv(sd) == -3
    assert st.state(sd) == "ESTABLISHED"
    changed = {k for k in after if after[k] != before[k]} - {"rx_segs"}
    assert len(changed) == 1, changed  # exactly one drop counter moved


def test_new_syn_reopens_time_wait() -> None:
    st, p, lsd, sd = established()
    st.L.tcp_close(st.s, sd)  # we close first: we will sit in TIME_WAIT
    (fin,) = st.out()
    p.take(fin)
    p.send("FA")
    st.out()
    assert st.sock(sd, "state") == 10  # TIME_WAIT (orphaned)
    # the same client port comes back with a higher ISN at once
    q = Peer(st, p.port, 80, isn=p.snd_nxt + 100_000)
    nsd = q.handshake_to(lsd)
    assert st.state(nsd) == "ESTABLISHED"
    # an old duplicate SYN (lower sequence) does not reopen: challenge ACK instead
    st2, p2, _, sd2 = established(seed=2)
    st2.L.tcp_close(st2.s, sd2)
    (fin2,) = st2.out()
    p2.take(fin2)
    p2.send("FA")
    st2.out()
    p2.send("S", seq=p2.snd_nxt - 5000, options=[])
    outs = st2.out()
    assert st2.sock(sd2, "state") == 10
    assert all("S" not in o.flags for o in outs)


def test_rto_is_3s_after_a_syn_timeout() -> None:
    """RFC 6298 5.7: the SYN,ACK had to be resent, so data starts with RTO = 3 s
    (no timestamps here, and the handshake ACK is not a valid sample: Karn)."""
    st = Stack()
    lsd = listen(st)
    p = Peer(st, 42000, 80, ts=False)
    p.snd_nxt = p.isn
    p.send("S", options=p.syn_opts())
    (sa,) = st.out()
    st.poll(1000)  # the SYN,ACK times out once
    (sa2,) = st.out()
    assert sa2.flags == "SA" and sa2.seq == sa.seq
    p.rcv_nxt = sa.seq + 1
    p.send("A")
    sd = st.L.tcp_accept(st.s, lsd)
    assert st.state(sd) == "ESTABLISHED"
    assert st.sock(sd, "rto") == 3000
    assert st.sock(sd, "srtt8") == 0
