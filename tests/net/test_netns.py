"""The native image against Linux's own stack over a TAP device in a namespace."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.net.netns import IMAGE_IP, TCP_LISTENERS, Image, Lab, image, require_netns, tcp_available

pytestmark = pytest.mark.netns


@pytest.fixture
def lab() -> Iterator[Lab]:
    require_netns()
    with Lab() as lab:
        yield lab


@pytest.fixture
def echo(lab: Lab) -> Image:
    img = lab.start_image(image(), f"--ip={IMAGE_IP}/24", "--gw=10.0.0.1")
    img.expect(r"net-echo: address 10\.0\.0\.2/24")
    return img


def pools_full(img: Image) -> dict[str, int]:
    s = img.stats()
    assert s["pool_free"] == s["pool_count"], s
    assert s["bad_free"] == 0 and s["arp_queued"] == 0 and s["reass_busy"] == 0, s
    return s


def test_ping(lab: Lab, echo: Image) -> None:
    out = lab.run("ping", "-c", "5", "-i", "0.2", "-W", "2", IMAGE_IP)
    assert re.search(r"5 packets transmitted, 5 received", out), out
    # Large pings come back whole (1472 bytes of payload: a full frame).
    out = lab.run("ping", "-c", "2", "-s", "1472", "-M", "do", "-W", "2", IMAGE_IP)
    assert "2 received" in out, out
    # Linux fragments a larger one; we reassemble it, but the answer would need
    # fragmenting, which we never do: counted, not sent.
    out = lab.run("ping", "-c", "1", "-s", "1800", "-W", "1", IMAGE_IP, check=False)
    assert "0 received" in out, out
    s = pools_full(echo)
    assert s["icmp_echo"] >= 7 and s["reass_ok"] == 1 and s["ip_tx_toobig"] == 1, s


def test_udp_echo(lab: Lab, echo: Image) -> None:
    r = lab.peer("udp_echo", host=IMAGE_IP, count=30, size=200)
    assert r["ok"] == 30
    r = lab.peer("udp_echo", host=IMAGE_IP, count=3, size=1469)
    assert r["ok"] == 3
    # A closed port is refused (ICMP port unreachable reaches the Linux socket).
    assert lab.peer("udp_closed", host=IMAGE_IP, port=1234)["refused"] is True
    pools_full(echo)


def start_dnsmasq(lab: Lab, tmp: str) -> None:
    lab.spawn("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--interface=tap0",
              "--bind-interfaces", "--except-interface=lo", "--no-resolv", "--no-hosts",
              "--no-ping", f"--dhcp-leasefile={tmp}/leases", f"--pid-file={tmp}/pid",
              "--dhcp-range=10.0.0.50,10.0.0.60,255.255.255.0,2m",
              "--dhcp-option=option:router,10.0.0.1", "--dhcp-option=option:dns-server,10.0.0.1",
              "--address=/apogee.test/10.9.8.7", "--log-dhcp", "--log-queries")


def test_dhcp_and_dns_against_dnsmasq(lab: Lab, tmp_path: object) -> None:
    start_dnsmasq(lab, str(tmp_path))
    img = lab.start_image(image())
    m = img.expect(r"net-echo: address (10\.0\.0\.\d+)/24 gw 10\.0\.0\.1 dns 10\.0\.0\.1",
                   timeout=20)
    addr = m.group(1)
    assert 50 <= int(addr.split(".")[-1]) <= 60
    out = lab.run("ping", "-c", "2", "-W", "2", addr)
    assert "2 received" in out
    leases = (tmp_path / "leases").read_text()  # type: ignore[operator]
    assert addr in leases and "02:00:00:00:00:02" in leases
    img.command("resolve www.apogee.test")
    img.expect(r"resolved www\.apogee\.test 10\.9\.8\.7")
    img.command("resolve missing.invalid")  # dnsmasq has no upstream: refused or NXDOMAIN
    img.expect(r"resolve missing\.invalid failed -(16|13)", timeout=3)
    pools_full(img)


def test_dhcp_static_fallback(lab: Lab) -> None:
    img = lab.start_image(image(), "--fallback=10.0.0.9/24", "--fallback-ms=1500")
    img.expect(r"net-echo: address 10\.0\.0\.9/24", timeout=10)
    assert "1 received" in lab.run("ping", "-c", "1", "-W", "2", "10.0.0.9")


def test_hostile_input_under_sanitizers(lab: Lab) -> None:
    """Crafted frames against the ASan/UBSan image: it survives, still answers,
    counts what it dropped, and every pool comes back to full."""
    # Short reassembly timeout and SYN-ACK retries: what the flood leaves behind
    # expires within seconds.
    img = lab.start_image(image("asan", defines=["APOGEE_NET_REASS_TIMEOUT_MS=2000",
                                                 "APOGEE_TCP_SYN_RETRIES=2"]),
                          f"--ip={IMAGE_IP}/24", "--gw=10.0.0.1")
    img.expect(r"net-echo: address 10\.0\.0\.2/24")
    r = lab.peer("inject", host=IMAGE_IP, mac="02:00:00:00:00:02", timeout=120)
    assert r["sent"] > 1000
    assert img.proc.poll() is None, "the image died:\n" + "\n".join(img.log[-40:])
    assert lab.peer("udp_echo", host=IMAGE_IP, count=5, size=64)["ok"] == 5
    assert "3 received" in lab.run("ping", "-c", "3", "-i", "0.2", "-W", "2", IMAGE_IP)
    s = img.stats()
    for counter in ("ip_bad", "udp_bad", "icmp_bad", "reass_overlap", "eth_drop", "arp_bad"):
        assert s[counter] > 0, (counter, s)
    assert s["reass_bad"] + s["reass_nomem"] > 0, s
    # The SYN flood overran the listeners' backlog: old embryos were recycled.
    assert s["tcp_syn_recycled"] > 0 and s["tcp_no_socket"] > 0, s
    # Let ARP retries and reassembly timeouts run out, then every pool is full.
    # With the TCP core in, its table holds only the two listeners at the end.
    tcp_left = s["tcp_count"] - TCP_LISTENERS if tcp_available() else s["tcp_count"]
    deadline = time.monotonic() + 60
    while True:
        s = img.stats()
        if (s["pool_free"] == s["pool_count"] and s["arp_queued"] == 0 and
                s["reass_busy"] == 0 and s["tcp_free"] == tcp_left) or \
                time.monotonic() > deadline:
            break
        time.sleep(1)
    assert s["pool_free"] == s["pool_count"] and s["bad_free"] == 0, s
    assert s["arp_queued"] == 0 and s["reass_busy"] == 0, s
    assert s["tcp_free"] == tcp_left, s
    assert img.stop() == 0, "\n".join(img.log[-40:])


@pytest.mark.parametrize(("impair", "check"), [
    ("seed=1,dup=100,dir=tx", "dup"),
    ("seed=2,drop=100,dir=rx", "drop"),
    ("seed=3,corrupt=100,dir=rx", "corrupt"),
    ("seed=4,drop=50,dir=rx", "half"),
])
def test_backend_impairments(lab: Lab, impair: str, check: str) -> None:
    """The TAP backend's seeded impairments do what they say, seen from Linux."""
    img = lab.start_image(image(), f"--ip={IMAGE_IP}/24", env={"APOGEE_IMPAIR": impair})
    img.expect(r"net-echo: address")
    # Teach Linux the image's MAC first, so ARP is not what gets impaired.
    lab.run("ip", "neigh", "replace", IMAGE_IP, "lladdr", "02:00:00:00:00:02", "dev", "tap0")
    # Spread over 4 s so the image's own ARP retries (1 s apart) get through too.
    out = lab.run("ping", "-c", "20", "-i", "0.2", "-W", "3", IMAGE_IP, check=False)
    m = re.search(r"(\d+) received", out)
    received = int(m.group(1)) if m else 0
    s = img.stats()
    if check == "dup":
        assert "DUP!" in out and s["imp_dup"] >= 20
    elif check == "drop":
        assert received == 0 and s["imp_drop"] >= 20 and s["icmp_echo"] == 0
    elif check == "corrupt":
        # Every request arrives with one bit flipped: checksums reject them all.
        assert received == 0 and s["imp_corrupt"] >= 20 and s["icmp_echo"] == 0
        assert s["ip_bad"] + s["icmp_bad"] >= 20, s
    else:
        # About half the requests (and of the ARP replies) are lost on the way in.
        assert 4 <= received <= 16, (out, s)
        assert 0.3 <= s["imp_drop"] / (s["imp_drop"] + s["rx_frames"]) <= 0.7, s
