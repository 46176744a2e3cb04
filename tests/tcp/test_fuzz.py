"""libFuzzer on tcp_input (ASan + UBSan), for a bounded time."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.hostc import ROOT, build_program

FUZZ_DEFINES = [
    "APOGEE_TCP_SOCKETS=4",
    "APOGEE_TCP_SNDBUF=2048",
    "APOGEE_TCP_RCVBUF=2048",
    "APOGEE_TCP_MSS=536",
    "APOGEE_TCP_BACKLOG=2",
    "APOGEE_TCP_RTO_MAX_MS=4000",
    "APOGEE_TCP_DATA_RETRIES=4",
    "APOGEE_TCP_SYN_RETRIES=3",
    "APOGEE_TCP_MSL_MS=1000",
    "APOGEE_TCP_FIN_WAIT2_MS=5000",
    "APOGEE_TCP_KEEPINTVL_MS=1000",
    "APOGEE_TCP_KEEPCNT=2",
]


def build_fuzzer() -> Path:
    src = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "netstack/tcp").glob("*.c"))
    return build_program("tcp_fuzz", ["tests/tcp/fuzz_tcp_input.c", *src],
                         include=["netstack/tcp"], defines=FUZZ_DEFINES, sanitize="fuzz")


def _chunk(op: int, body: bytes) -> bytes:
    return bytes([op]) + struct.pack("!H", len(body)) + body


def _tcp(flags: int, data: bytes = b"", opts: bytes = b"", dport: int = 80) -> bytes:
    """A header for the harness to steer: SEQ/ACK bytes 4 and 8 are offsets (here 0
    and +1 for ACKs of a SYN), ports are replaced when op has 0x10."""
    doff = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", 1234, dport, 0, 0x01000000 if flags & 0x10 else 0,
                      doff << 4, flags, 65535, 0, 0)
    return hdr + opts + data


SYN_OPTS = bytes.fromhex("020405b4" "0402" "080a0000000100000000" "01030307")
TS = bytes.fromhex("0101080a0000000200000000")


def seeds() -> list[bytes]:
    """Scripts that open a connection to the listener (child in slot 2) and to the
    active socket (slot 1), move data both ways and close; the fuzzer mutates them."""
    child, active = 0x30 | (2 << 2), 0x30 | (1 << 2)
    app = _chunk(2, b"\x01\x00" + b"reply")
    t = _chunk(1, b"\x20")
    passive = (_chunk(0, _tcp(0x02, opts=SYN_OPTS)) + _chunk(child, _tcp(0x10, opts=TS))
               + app + _chunk(child, _tcp(0x18, b"hello" * 50, TS)) + app + t
               + _chunk(child, _tcp(0x10, opts=TS)) + _chunk(child, _tcp(0x11, opts=TS))
               + _chunk(2, b"\x00\x02") + t + _chunk(child, _tcp(0x10, opts=TS)) + t)
    syn_ack = bytearray(_tcp(0x12, opts=SYN_OPTS, dport=0))
    active_s = (_chunk(active, bytes(syn_ack)) + _chunk(2, b"\x01\x00" + b"x" * 300)
                + _chunk(active, _tcp(0x18, b"data", TS)) + t
                + _chunk(active, bytes(_tcp(0x04)))  # RST at rcv_nxt
                + t)
    sack = TS + bytes.fromhex("0101050a") + struct.pack("!II", 0, 0)
    other = (_chunk(0, _tcp(0x02, opts=SYN_OPTS)) + _chunk(child, _tcp(0x10, opts=TS))
             + _chunk(2, b"\x01\x00" + b"y" * 1500) + _chunk(child, _tcp(0x10, opts=sack))
             + _chunk(child, _tcp(0x10, opts=sack)) + _chunk(child, _tcp(0x10, opts=sack))
             + _chunk(1, b"\xff") + _chunk(3, b"\x05") + _chunk(1, b"\xff"))
    return [passive, active_s, other]


@pytest.mark.slow
def test_fuzz_tcp_input_30s(tmp_path: Path) -> None:
    if shutil.which("clang") is None:
        pytest.skip("clang with libFuzzer is not installed")
    prog = build_fuzzer()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, s in enumerate(seeds()):
        (corpus / f"seed{i}").write_bytes(s)
    # inputs that once failed (leaks found by the pool check) stay in the corpus
    for f in (Path(__file__).parent / "fuzz_regressions").iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    r = subprocess.run(
        [str(prog), str(corpus), "-max_total_time=30", "-seed=20261127", "-max_len=4096",
         "-rss_limit_mb=1024", "-print_final_stats=1"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    tail = r.stderr[-3000:]
    assert r.returncode == 0, tail
    assert "Done" in r.stderr and "stat::number_of_executed_units" in r.stderr, tail


def test_fuzz_regressions_replay() -> None:
    """Every input that once crashed or leaked runs clean (fast, not slow-marked)."""
    if shutil.which("clang") is None:
        pytest.skip("clang with libFuzzer is not installed")
    prog = build_fuzzer()
    files = sorted(str(f) for f in (Path(__file__).parent / "fuzz_regressions").iterdir())
    r = subprocess.run([str(prog), *files], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-3000:]
