"""libFuzzer on tcp_input (ASan + UBSan), for a bounded time."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hostc import build_program

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
    src = ["netstack/tcp/tcp_api.c", "netstack/tcp/tcp_in.c", "netstack/tcp/tcp_isn.c",
           "netstack/tcp/tcp_opt.c", "netstack/tcp/tcp_out.c"]
    return build_program("tcp_fuzz", ["tests/tcp/fuzz_tcp_input.c", *src],
                         include=["netstack/tcp"], defines=FUZZ_DEFINES, sanitize="fuzz")


@pytest.mark.slow
def test_fuzz_tcp_input_30s(tmp_path: Path) -> None:
    if shutil.which("clang") is None:
        pytest.skip("clang with libFuzzer is not installed")
    prog = build_fuzzer()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    r = subprocess.run(
        [str(prog), str(corpus), "-max_total_time=30", "-seed=20261127", "-max_len=4096",
         "-rss_limit_mb=1024", "-print_final_stats=1"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    tail = r.stderr[-3000:]
    assert r.returncode == 0, tail
    assert "Done" in r.stderr and "stat::number_of_executed_units" in r.stderr, tail
