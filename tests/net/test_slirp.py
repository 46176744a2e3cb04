"""The native image on libslirp user-mode networking: no TAP, no root. The host
reaches it through port forwards on 127.0.0.1."""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdk.pytest_plugin import free_port
from tests.net.netns import Image, image


@pytest.fixture
def slirp_image() -> Iterator[tuple[Image, int, int]]:
    if ctypes.util.find_library("slirp") is None or \
            not Path("/usr/include/slirp/libslirp.h").exists():
        pytest.skip("libslirp is not installed (Debian package libslirp-dev)")
    tport, uport = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    proc = subprocess.Popen(
        [str(image()), "--net=slirp", f"--hostfwd=tcp:{tport}-7,udp:{uport}-7"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"})
    img = Image(proc)
    try:
        yield img, tport, uport
    finally:
        img.stop()


def test_dhcp_udp_and_tcp_over_slirp(slirp_image: tuple[Image, int, int]) -> None:
    img, tport, uport = slirp_image
    # libslirp's own DHCP server gives the first guest address.
    img.expect(r"net-echo: address 10\.0\.2\.15/24 gw 10\.0\.2\.2 dns 10\.0\.2\.3", timeout=20)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(2)
        for i in range(5):
            msg = os.urandom(100 + i)
            u.sendto(msg, ("127.0.0.1", uport))
            assert u.recvfrom(2048)[0] == msg
    data = os.urandom(1 << 20)
    with socket.create_connection(("127.0.0.1", tport), timeout=20) as t:
        t.sendall(data)
        t.shutdown(socket.SHUT_WR)
        got = bytearray()
        while chunk := t.recv(65536):
            got += chunk
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
    s = img.stats()
    assert s["pool_free"] == s["pool_count"] and s["bad_free"] == 0
