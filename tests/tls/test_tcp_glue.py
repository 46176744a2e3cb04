"""TLS over netstack/tcp (tls_tcp.c): our server and client on two TCP stacks
wired back to back in memory, with and without segment loss, under ASan/UBSan;
the received echo is compared byte for byte in the program."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.hostc import build_program
from tests.tls.tls_util import TLS_SRC, Identity, committed, crypto_src, include

TCP = ["tcp_api", "tcp_in", "tcp_isn", "tcp_opt", "tcp_out"]


@pytest.fixture(scope="module")
def loop_exe() -> Path:
    tcp = committed("netstack/tcp")
    return build_program("tls_tcp_loop", ["tests/tls/tls_tcp_loop.c", "netstack/tls/tls_tcp.c",
                                          *TLS_SRC, *crypto_src(),
                                          *[str(tcp / f"{n}.c") for n in TCP]],
                         include=[*include(), str(tcp)], sanitize="asan", compiler="clang")


@pytest.mark.parametrize("loss", [0, 20], ids=["clean", "lossy"])
def test_tls_over_netstack_tcp(loop_exe: Path, idents: dict[str, Identity], loss: int) -> None:
    ident = idents["ecdsa"]
    p = subprocess.run([str(loop_exe), f"cert={ident.cert_der}", f"key={ident.key_raw}",
                        "bytes=300000", f"loss={loss}"], capture_output=True, text=True,
                       timeout=120)
    assert p.stdout.startswith("DONE") and "match=1" in p.stdout, p.stdout + p.stderr[-3000:]
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, p.stderr[-3000:]
