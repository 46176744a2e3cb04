"""Property tests of the core's pure parts: sequence arithmetic, the checksum and
option parsing on arbitrary bytes (an ASan/UBSan build), against Python references."""

from __future__ import annotations

import struct
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.utils import checksum

from tests.hostc import build_program
from tests.tcp.scripted import ffi, lib

u32 = st.integers(0, 2**32 - 1)


def ref_lt(a: int, b: int) -> bool:
    d = (a - b) % 2**32
    return d >= 2**31  # negative as int32


@settings(deadline=None)
@given(u32, u32)
def test_seq_compare(a: int, b: int) -> None:
    L = lib()
    assert bool(L.shim_seq_lt(a, b)) == ref_lt(a, b)
    assert bool(L.shim_seq_le(a, b)) == (ref_lt(a, b) or a == b)


@settings(deadline=None)
@given(u32, st.integers(0, 2**31 - 1), st.integers(-(2**31), 2**31 - 1))
def test_seq_window_membership_wraps(lo: int, size: int, off: int) -> None:
    x = (lo + off) % 2**32
    hi = (lo + size) % 2**32
    assert bool(lib().shim_seq_in(x, lo, hi)) == (0 <= off < size)


@settings(deadline=None)
@given(u32, u32, st.binary(min_size=0, max_size=1500))
def test_checksum_against_reference(src: int, dst: int, seg: bytes) -> None:
    pseudo = struct.pack("!IIBBH", src, dst, 0, 6, len(seg))
    assert lib().shim_checksum(src, dst, seg, len(seg)) == checksum(pseudo + seg)
    # a segment carrying its checksum verifies to 0
    if len(seg) >= 20:
        body = bytearray(seg)
        body[16:18] = b"\0\0"
        c = lib().shim_checksum(src, dst, bytes(body), len(body))
        body[16:18] = struct.pack("!H", c)
        assert lib().shim_checksum(src, dst, bytes(body), len(body)) == 0


def ref_parse(b: bytes) -> tuple[int, ...]:
    """Independent reading of RFC 9293 3.1 / 7323 / 2018 with the core's documented
    policy: bad length structure -> -5 (APG_EBADMSG); known kinds with a wrong
    length ignored; window shift clamped to 14; at most 4 SACK blocks."""
    present = mss = ws = tsval = tsecr = 0
    sacks: list[tuple[int, int]] = []
    i = 0
    while i < len(b):
        k = b[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        if i + 1 >= len(b):
            return (-5,)
        ln = b[i + 1]
        if ln < 2 or ln > len(b) - i:
            return (-5,)
        v = b[i + 2:i + ln]
        if k == 2 and ln == 4:
            present |= 1
            mss = int.from_bytes(v, "big")
        elif k == 3 and ln == 3:
            present |= 2
            ws = min(v[0], 14)
        elif k == 4 and ln == 2:
            present |= 4
        elif k == 5 and ln >= 10 and (ln - 2) % 8 == 0:
            present |= 0x10
            sacks = [struct.unpack("!II", v[8 * j:8 * j + 8]) for j in range((ln - 2) // 8)][:4]
        elif k == 8 and ln == 10:
            present |= 8
            tsval, tsecr = struct.unpack("!II", v)
        i += ln
    flat = [x for blk in sacks for x in blk]
    return (0, present, mss, ws, tsval, tsecr, len(sacks), *flat)


opt_item = st.one_of(
    st.just(b"\x01"),
    st.just(b"\x00"),
    st.builds(lambda m: b"\x02\x04" + struct.pack("!H", m), st.integers(0, 65535)),
    st.builds(lambda w: bytes([3, 3, w]), st.integers(0, 255)),
    st.just(b"\x04\x02"),
    st.builds(lambda a, c: b"\x08\x0a" + struct.pack("!II", a, c), u32, u32),
    st.builds(lambda bl: bytes([5, 2 + 8 * len(bl)]) + b"".join(struct.pack("!II", *x) for x in bl),
              st.lists(st.tuples(u32, u32), min_size=1, max_size=4)),
    st.binary(min_size=1, max_size=12),  # anything, including broken lengths
)
option_lists = st.lists(opt_item, max_size=12).map(lambda xs: b"".join(xs)[:40])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(option_lists, st.binary(max_size=60)), min_size=1, max_size=200))
def test_option_parsing_on_arbitrary_bytes_asan(batch: list[bytes]) -> None:
    prog = build_program("tcp_opts_asan", ["tests/tcp/opts_prog.c", "netstack/tcp/tcp_opt.c"],
                         include=["netstack/tcp"], sanitize="asan")
    stdin = b"".join(struct.pack("!H", len(b)) + b for b in batch)
    r = subprocess.run([str(prog)], input=stdin, capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    lines = r.stdout.decode().splitlines()
    assert len(lines) == len(batch)
    for b, line in zip(batch, lines, strict=True):
        got = tuple(int(x) for x in line.split())
        want = ref_parse(b)
        assert got[: len(want)] == want if want[0] < 0 else got == want, (b.hex(), got, want)


def test_sizes_are_reported() -> None:
    L = lib()
    assert L.shim_sizeof_sock() > 16384 + 8192  # the two rings are inside the socket
    assert L.shim_sizeof_stack() >= 8 * L.shim_sizeof_sock()
    assert ffi() is not None
