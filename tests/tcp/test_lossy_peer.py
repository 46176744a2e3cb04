"""Property test: bulk data from the core to a scripted receiver that loses,
duplicates and reorders segments and ACKs (with SACK or without), in simulated
time. Whatever the pattern, the bytes arrive intact, no segment carries bytes the
core had not sent before (beyond SND.MAX) and no ACK of the peer is refused."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tcp.scripted import Out

M32 = 2**32
ITER = 200_000
SIM_LIMIT_MS = 3_600_000  # heavy loss without timestamps backs the RTO off to 60 s


class Receiver:
    def __init__(self, base: int, size: int) -> None:
        self.base = base  # sequence number of byte 0
        self.buf = bytearray(size)
        self.have = bytearray(size)  # 1 where a byte arrived
        self.nxt = 0  # in-order bytes received
        self.recent: list[tuple[int, int]] = []  # newest first, offsets

    def take(self, seq: int, data: bytes) -> None:
        off = (seq - self.base) % M32
        if off >= 2**31 or not data:
            return
        end = min(off + len(data), len(self.buf))
        self.buf[off:end] = data[: end - off]
        self.have[off:end] = b"\x01" * (end - off)
        while self.nxt < len(self.buf) and self.have[self.nxt]:
            self.nxt += 1
        if off > self.nxt:
            self.recent.insert(0, (off, end))

    def sack_blocks(self) -> list[int]:
        blocks: list[tuple[int, int]] = []
        for off, _ in self.recent:
            if off <= self.nxt:
                continue
            lo = off
            while lo > self.nxt and self.have[lo - 1]:
                lo -= 1
            hi = off
            while hi < len(self.buf) and self.have[hi]:
                hi += 1
            if (lo, hi) not in blocks and lo > self.nxt:
                blocks.append((lo, hi))
            if len(blocks) == 3:
                break
        self.recent = [r for r in self.recent if r[0] > self.nxt][:8]
        return [(self.base + x) % M32 for b in blocks for x in b]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), loss=st.integers(0, 25), dup=st.integers(0, 10),
       reorder=st.integers(0, 25), sack=st.booleans(), ts=st.booleans())
def test_bulk_through_a_lossy_peer(seed: int, loss: int, dup: int, reorder: int,
                                   sack: bool, ts: bool) -> None:
    rnd = random.Random(seed)
    size = 60_000
    data = rnd.randbytes(size)
    from tests.tcp.test_scripted import established
    stk, p, _, sd = established(seed=seed % 1000, ts=ts, sack=sack, mss=1000)
    stk.out()
    stk.L.tcp_nodelay(stk.s, sd, True)
    rx = Receiver(stk.sock(sd, "snd_una"), size)
    sent = 0
    held: list[Out] = []
    for _ in range(ITER):
        if sent < size:
            n = stk.send(sd, data[sent:sent + 4096])
            if n > 0:
                sent += n
        outs = stk.out()
        snd_max = stk.sock(sd, "snd_max")
        for o in outs:
            end = (o.seq + len(o.payload)) % M32
            assert (snd_max - end) % M32 < 2**31, "a segment went past SND.MAX"
        batch = held + outs
        held = []
        for o in batch:
            r = rnd.randrange(100)
            if r < loss:
                continue
            if r < loss + reorder and o not in held:
                held.append(o)
                continue
            copies = 2 if rnd.randrange(100) < dup else 1
            for _c in range(copies):
                p.take(o)
                rx.take(o.seq, o.payload)
                p.rcv_nxt = (rx.base + rx.nxt) % M32 if o.payload else p.rcv_nxt
                if rnd.randrange(100) < loss:
                    continue  # the ACK is lost
                opts = p.opts()
                blocks = rx.sack_blocks() if sack else []
                if blocks:
                    opts = [*opts, ("SAck", tuple(blocks))]
                p.send("A", ack=(rx.base + rx.nxt) % M32, options=opts)
        if rx.nxt == size or stk.now > SIM_LIMIT_MS:
            break
        wait = int(stk.L.tcp_poll(stk.s, stk.now))
        # busy: small random steps; idle: jump to the core's next timer
        stk.poll(max(1, min(wait, rnd.choice((1, 2, 5, 20)))) if batch else max(1, wait))
    fields = ("state", "snd_una", "snd_nxt", "snd_max", "rto", "backoff", "cwnd", "snd_wnd",
              "sb_len", "flags")
    assert rx.nxt == size, (rx.nxt, {k: v for k, v in stk.stats().items() if v},
                            {f: stk.sock(sd, f) for f in fields}, rx.base, stk.now)
    assert bytes(rx.buf) == data
    assert stk.stats()["rx_bad_ack"] == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), ts=st.booleans())
def test_receive_reassembly_of_arbitrary_segments(seed: int, ts: bool) -> None:
    """The core as receiver: segments of random size at random places inside (and
    sometimes outside) its window, duplicated, overlapping, in any order, while
    the app reads at random. The stream comes out intact and every SACK block
    names only bytes that were really sent."""
    rnd = random.Random(seed)
    size = 20_000
    data = rnd.randbytes(size)
    from tests.tcp.test_scripted import established
    stk, p, _, sd = established(seed=seed % 1000, ts=ts, mss=1000)
    stk.out()
    base = p.snd_nxt
    ws = stk.sock(sd, "rcv_ws")
    acked, right = 0, stk.sock(sd, "rcv_adv") - base
    sent = bytearray(size)
    got = bytearray()
    for _ in range(30000):
        a = rnd.randrange(100)
        if a < 70:
            span = max(1, min(right, size) - acked)
            k = rnd.randrange(10)
            start = acked if k < 4 else acked + rnd.randrange(span) if k < 9 else \
                acked + rnd.randrange(-3000, 3000 + span)
            start = max(0, min(start, size - 1))
            n = rnd.randint(1, min(1000, size - start))
            seq = (base + start) % M32
            p.send("PA", data[start:start + n], seq=seq)
            if start + n <= right:
                sent[start:start + n] = b"\x01" * n
            elif start < right:
                sent[start:right] = b"\x01" * (right - start)
        elif a < 90:
            r = stk.recv(sd, rnd.randint(1, 6000))
            if isinstance(r, bytes):
                got += r
        else:
            stk.poll(rnd.randint(1, 50))
        for o in stk.out():
            off = (o.ack - base) % M32
            if off < 2**31:
                acked = max(acked, off)
                right = max(right, off + (o.win << ws))
            blocks = o.opt("SAck") or ()
            for left, rgt in zip(blocks[::2], blocks[1::2], strict=True):
                lo, hi = (left - base) % M32, (rgt - base) % M32
                assert acked < lo < hi <= size, (lo, hi, acked)
                assert all(sent[lo:hi]), "SACK block names bytes never sent"
        if len(got) == size:
            break
    assert bytes(got) == data[: len(got)]
    assert len(got) == size, (len(got), acked, stk.stats())
