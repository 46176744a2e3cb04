"""TCP through the native image against Linux's TCP, over the TAP in a namespace."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.net.netns import IMAGE_IP, TCP_LISTENERS, Image, Lab, image, require_netns, tcp_available

pytestmark = pytest.mark.netns

MIB10 = 10 << 20
# The echo image for these tests: room for 64 connections at once plus the three
# listeners, a backlog that takes a burst of SYNs, and 32 KiB windows (enough
# segments in flight for fast retransmit and SACK to work under loss).
TCP_DEFINES = ["APOGEE_TCP_SOCKETS=72", "APOGEE_TCP_BACKLOG=16", "APOGEE_TCP_SNDBUF=32768",
               "APOGEE_TCP_RCVBUF=32768"]


@pytest.fixture
def lab() -> Iterator[Lab]:
    require_netns()
    if not tcp_available():
        pytest.skip("the TCP core (netstack/tcp) is not committed yet")
    with Lab() as lab:
        yield lab


def start(lab: Lab, *args: str, sanitize: str = "", impair: str | None = None,
          defines: tuple[str, ...] = ()) -> Image:
    env = {"APOGEE_IMPAIR": impair} if impair else None
    img = lab.start_image(image(sanitize, [*TCP_DEFINES, *defines]), f"--ip={IMAGE_IP}/24",
                          *args, env=env)
    img.expect(r"net-echo: address")
    return img


def settle(img: Image, timeout: float = 30) -> dict[str, int]:
    """Wait until every connection is gone and every pool is full again."""
    end = time.monotonic() + timeout
    while True:
        s = img.stats()
        done = (s["pool_free"] == s["pool_count"]
                and s["tcp_free"] == s["tcp_count"] - TCP_LISTENERS
                and s["arp_queued"] == 0)
        if done or time.monotonic() > end:
            assert done, s
            assert s["bad_free"] == 0
            return s
        time.sleep(0.5)


def check_echo(r: dict[str, object], size: int) -> None:
    assert "error" not in r, r
    assert r["received"] == size and r["sent_sha256"] == r["recv_sha256"], r


def test_tcp_echo_10mib_both_ways(lab: Lab) -> None:
    img = start(lab)
    r = lab.peer("tcp_echo", host=IMAGE_IP, size=MIB10, timeout=240)
    check_echo(r, MIB10)
    # Discard port: 10 MiB in, nothing back, clean close.
    r = lab.peer("tcp_discard", host=IMAGE_IP, size=MIB10, timeout=240)
    assert r.get("ok") is True, r
    settle(img)


def test_chargen_10mib_to_linux(lab: Lab) -> None:
    """The native -> Linux direction on its own: RFC 864's pattern, byte-exact."""
    img = start(lab)
    r = lab.peer("tcp_chargen", host=IMAGE_IP, size=MIB10, timeout=240)
    assert r.get("ok") is True, r
    settle(img)


def test_64_concurrent_connections(lab: Lab) -> None:
    img = start(lab)
    r = lab.peer("tcp_many", host=IMAGE_IP, n=64, timeout=240)
    assert r["ok"] == 64, r
    settle(img)


def test_tcp_echo_10mib_under_loss_reorder_duplication(lab: Lab) -> None:
    img = start(lab, impair="seed=42,drop=5,reorder=5,dup=1")
    r = lab.peer("tcp_echo", host=IMAGE_IP, size=MIB10, timeout=280)
    check_echo(r, MIB10)
    s = img.stats()
    assert s["imp_drop"] > 100 and s["imp_reorder"] > 100 and s["imp_dup"] > 10, s
    assert s["tcp_retransmits"] > 0, s


def test_tcp_hostile_segments_on_live_connection(lab: Lab) -> None:
    """SYN flood, RSTs and data outside the window aimed at a live connection, against
    the ASan/UBSan image: the connection survives and stays byte-exact."""
    # Two SYN-ACK retries: spoofed SYNs leave embryonic connections that must time
    # out (1 + 2 + 4 s) before the table is back to full.
    img = start(lab, sanitize="asan", defines=("APOGEE_TCP_SYN_RETRIES=2",))
    r = lab.peer("tcp_under_attack", host=IMAGE_IP, mac="02:00:00:00:00:02", timeout=240)
    assert r.get("ok") is True, r
    s = img.stats()
    assert s["tcp_out_of_window"] + s["tcp_challenge_acks"] > 0, s
    assert img.proc.poll() is None
    settle(img, timeout=30)
    assert img.stop() == 0, "\n".join(img.log[-40:])


def test_tcp_echo_through_corruption_under_sanitizers(lab: Lab) -> None:
    """2 % of frames each way get a bit flipped past the Ethernet header: checksums
    catch every one, TCP retransmits, and the data stays byte-exact (ASan image)."""
    img = start(lab, sanitize="asan", impair="seed=9,corrupt=2")
    r = lab.peer("tcp_echo", host=IMAGE_IP, size=2 << 20, timeout=200)
    check_echo(r, 2 << 20)
    s = img.stats()
    assert s["imp_corrupt"] > 20 and s["tcp_bad_csum"] + s["ip_bad"] > 0, s
    settle(img)
    assert img.stop() == 0, "\n".join(img.log[-40:])


def test_without_offloads(lab: Lab) -> None:
    """--offload=0: plain frames both ways (no virtio-net header)."""
    img = start(lab, "--offload=0")
    assert "2 received" in lab.run("ping", "-c", "2", "-W", "2", IMAGE_IP)
    check_echo(lab.peer("tcp_echo", host=IMAGE_IP, size=4 << 20, timeout=120), 4 << 20)
    settle(img)
