"""A scripted TCP peer for the core: segments built with scapy are fed to tcp_input
through cffi (ABI mode) and the core's output is captured and parsed with scapy,
which also re-checks every checksum independently."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import cffi
from scapy.layers.inet import IP, TCP

from tests.hostc import ROOT, build_library

CORE_IP = 0x0A000002  # 10.0.0.2
PEER_IP = 0x0A000001  # 10.0.0.1
CORE_IP_S, PEER_IP_S = "10.0.0.2", "10.0.0.1"

SHIM_DEFINES = [
    "APOGEE_TCP_SOCKETS=8",
    "APOGEE_TCP_SNDBUF=16384",
    "APOGEE_TCP_RCVBUF=8192",
    "APOGEE_TCP_BACKLOG=4",
    "APOGEE_TCP_MSL_MS=1000",
    "APOGEE_TCP_KEEPINTVL_MS=500",
    "APOGEE_TCP_KEEPCNT=3",
]
RCVBUF = 8192
SNDBUF = 16384
NSOCK = 8
MSL = 1000

STATES = ["CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
          "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"]
FIELDS = ["rto", "cwnd", "ssthresh", "snd_una", "snd_nxt", "snd_max", "rcv_nxt", "snd_wnd",
          "flags", "iss", "irs", "backoff", "srtt8", "rcv_adv", "sb_len", "rb_len", "used",
          "state", "owner", "mss", "snd_ws", "rcv_ws", "nooo"]


def _counter_names() -> list[str]:
    text = (ROOT / "netstack/tcp/tcp.h").read_text()
    body = text.split("struct tcp_counters {")[1].split("};")[0]
    return re.findall(r"uint32_t (\w+);", body)


COUNTERS = _counter_names()

CDEF = """
void *shim_init(uint64_t seed, uint32_t ip);
void shim_fail_output(int on);
int shim_pop(uint8_t *buf, uint32_t *src, uint32_t *dst);
const uint32_t *shim_stats(void);
size_t shim_sizeof_sock(void);
size_t shim_sizeof_stack(void);
size_t shim_counters_size(void);
int shim_seq_lt(uint32_t a, uint32_t b);
int shim_seq_le(uint32_t a, uint32_t b);
int shim_seq_in(uint32_t x, uint32_t lo, uint32_t hi);
uint16_t shim_checksum(uint32_t s, uint32_t d, const uint8_t *p, size_t n);
int shim_opts(const uint8_t *p, size_t n, uint32_t res[14]);
int64_t shim_sock(int sd, int field);
void tcp_set_local_ip(void *s, uint32_t ip);
void tcp_set_tx_csum_offload(void *s, _Bool on);
void tcp_input_csum_ok(void *s, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len,
                       uint64_t now_ms);
void tcp_input(void *s, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len,
               uint64_t now_ms);
uint32_t tcp_poll(void *s, uint64_t now_ms);
int tcp_listen(void *s, uint16_t port, int backlog);
int tcp_accept(void *s, int lsd);
int tcp_connect(void *s, uint32_t dst_ip, uint16_t dst_port);
int tcp_send(void *s, int sd, const void *buf, size_t len);
int tcp_recv(void *s, int sd, void *buf, size_t len);
int tcp_shutdown(void *s, int sd);
int tcp_close(void *s, int sd);
int tcp_abort(void *s, int sd);
int tcp_ready(const void *s, int sd);
int tcp_error(const void *s, int sd);
int tcp_state(const void *s, int sd);
int tcp_nodelay(void *s, int sd, _Bool on);
int tcp_keepalive(void *s, int sd, uint32_t idle_ms);
size_t tcp_send_space(const void *s, int sd);
int tcp_free_slots(const void *s);
"""

_ffi = cffi.FFI()
_ffi.cdef(CDEF)
_lib: Any = None


def lib() -> Any:
    global _lib
    if _lib is None:
        src = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "netstack/tcp").glob("*.c"))
        path = build_library("tcp_shim", ["tests/tcp/tcp_shim.c", *src],
                             include=["netstack/tcp"], defines=SHIM_DEFINES)
        _lib = _ffi.dlopen(str(path))
    return _lib


def ffi() -> cffi.FFI:
    return _ffi


@dataclass
class Out:
    """One segment the core emitted."""
    tcp: Any  # scapy TCP
    raw: bytes

    @property
    def flags(self) -> str:
        return str(self.tcp.flags)

    @property
    def seq(self) -> int:
        return int(self.tcp.seq)

    @property
    def ack(self) -> int:
        return int(self.tcp.ack)

    @property
    def payload(self) -> bytes:
        return bytes(self.tcp.payload)

    @property
    def win(self) -> int:
        return int(self.tcp.window)

    def opt(self, name: str) -> Any:
        for k, v in self.tcp.options:
            if k == name:
                return v
        return None


@dataclass
class Stack:
    """The core plus a clock; a peer at PEER_IP talks to it."""
    seed: int = 1
    now: int = 1000
    s: Any = None
    captured: list[Out] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.L = lib()
        self.s = self.L.shim_init(self.seed, CORE_IP)
        self.L.tcp_poll(self.s, self.now)

    # -- time and output
    def poll(self, advance: int = 0) -> int:
        self.now += advance
        return int(self.L.tcp_poll(self.s, self.now))

    def run_until(self, t: int, step: int = 5) -> None:
        while self.now < t:
            self.poll(min(step, t - self.now))

    def out(self, partial: bool = False) -> list[Out]:
        """What the core sent, as a main loop sees it: after the turn's tcp_poll (which
        sends the ACKs and window updates that the turn's input and app calls owe).
        partial: the core was told a NIC completes checksums; each field must hold
        the pseudo-header sum, and is completed here as the NIC would first."""
        self.L.tcp_poll(self.s, self.now)
        buf = _ffi.new("uint8_t[]", 2048)
        src, dst = _ffi.new("uint32_t *"), _ffi.new("uint32_t *")
        res: list[Out] = []
        while True:
            n = self.L.shim_pop(buf, src, dst)
            if n < 0:
                break
            raw = bytes(_ffi.buffer(buf, n))
            if partial:
                raw = _complete_partial(raw, src[0], dst[0])
            # independent checksum check: scapy recomputes it over the pseudo-header
            t = TCP(raw)
            chk = t.chksum
            t.chksum = None
            again = TCP(bytes(IP(src=_ip(src[0]), dst=_ip(dst[0])) / t)[20:])
            assert again.chksum == chk, "core emitted a bad checksum"
            res.append(Out(TCP(raw), raw))
        self.captured.extend(res)
        return res

    # -- input
    def feed(self, raw: bytes, src: int = PEER_IP, dst: int = CORE_IP) -> None:
        self.L.tcp_input(self.s, src, dst, raw, len(raw), self.now)

    def stats(self) -> dict[str, int]:
        p = self.L.shim_stats()
        return {n: int(p[i]) for i, n in enumerate(COUNTERS)}

    def sock(self, sd: int, name: str) -> int:
        return int(self.L.shim_sock(sd, FIELDS.index(name)))

    def state(self, sd: int) -> str:
        return STATES[self.L.tcp_state(self.s, sd)]

    def recv(self, sd: int, n: int = 65536) -> bytes | int:
        buf = _ffi.new("uint8_t[]", max(n, 1))
        r = self.L.tcp_recv(self.s, sd, buf, n)
        return bytes(_ffi.buffer(buf, r)) if r >= 0 else int(r)

    def send(self, sd: int, data: bytes) -> int:
        return int(self.L.tcp_send(self.s, sd, data, len(data)))


def _ones_sum(data: bytes) -> int:
    data += b"\0" * (len(data) % 2)
    s = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _complete_partial(raw: bytes, src: int, dst: int) -> bytes:
    """What a NIC completing TCP checksums does (virtio-net NEEDS_CSUM): the field
    must hold the pseudo-header sum; the checksum is the complement of the sum over
    the whole segment, field included."""
    pseudo = src.to_bytes(4, "big") + dst.to_bytes(4, "big") + bytes([0, 6]) + \
        len(raw).to_bytes(2, "big")
    field_ = int.from_bytes(raw[16:18], "big")
    assert field_ == _ones_sum(pseudo), "checksum field is not the pseudo-header sum"
    c = ~_ones_sum(raw) & 0xFFFF
    return raw[:16] + c.to_bytes(2, "big") + raw[18:]


def _ip(v: int) -> str:
    return ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))


def seg(sport: int, dport: int, flags: str, seq: int, ack: int = 0, data: bytes = b"",
        win: int = 65535, options: list[tuple[str, Any]] | None = None,
        src: str = PEER_IP_S, dst: str = CORE_IP_S) -> bytes:
    """A TCP segment (header + data) with a correct checksum, built by scapy."""
    p = IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq & 0xFFFFFFFF,
                                   ack=ack & 0xFFFFFFFF, window=win, options=options or [])
    if data:
        p = p / data
    return bytes(p)[20:]


@dataclass
class Peer:
    """One scripted remote endpoint (PEER_IP:port) in a connection with the core."""
    st: Stack
    port: int
    core_port: int
    isn: int = 0x10000000
    snd_nxt: int = 0
    rcv_nxt: int = 0
    ts: bool = True
    sack: bool = True
    ws: int | None = 7
    mss: int = 1460
    tsval: int = 1000
    win: int = 65535

    def opts(self) -> list[tuple[str, Any]]:
        o: list[tuple[str, Any]] = []
        if self.ts:
            self.tsval += 1
            o.append(("Timestamp", (self.tsval, self.ts_echo)))
        return o

    ts_echo: int = 0

    def syn_opts(self) -> list[tuple[str, Any]]:
        o: list[tuple[str, Any]] = [("MSS", self.mss)]
        if self.sack:
            o.append(("SAckOK", b""))
        if self.ts:
            o.append(("Timestamp", (self.tsval, 0)))
        if self.ws is not None:
            o.append(("NOP", None))
            o.append(("WScale", self.ws))
        return o

    def send(self, flags: str, data: bytes = b"", seq: int | None = None, ack: int | None = None,
             win: int | None = None, options: list[tuple[str, Any]] | None = None) -> None:
        s = self.snd_nxt if seq is None else seq
        a = self.rcv_nxt if ack is None else ack
        raw = seg(self.port, self.core_port, flags, s, a, data,
                  win=self.win if win is None else win,
                  options=self.opts() if options is None else options)
        if seq is None:
            self.snd_nxt = (self.snd_nxt + len(data) + ("S" in flags) + ("F" in flags)) % 2**32
        self.st.feed(raw)

    def take(self, o: Out) -> None:
        """Learn from a segment of the core (its TSval, what it sent)."""
        t = o.opt("Timestamp")
        if t:
            self.ts_echo = t[0]
        end = (o.seq + len(o.payload) + ("S" in o.flags) + ("F" in o.flags)) % 2**32
        if (end - self.rcv_nxt) % 2**32 < 2**31:
            self.rcv_nxt = end

    def handshake_to(self, lsd: int) -> int:
        """Active open from the peer to the core's listener; returns the accepted sd."""
        self.snd_nxt = self.isn
        self.send("S", options=self.syn_opts())
        outs = self.st.out()
        assert len(outs) == 1 and outs[0].flags == "SA", [o.flags for o in outs]
        sa = outs[0]
        assert sa.ack == (self.isn + 1) % 2**32
        self.rcv_nxt = (sa.seq + 1) % 2**32
        self.take(sa)
        self.send("A")
        sd = int(self.st.L.tcp_accept(self.st.s, lsd))
        assert sd >= 0, sd
        return sd


