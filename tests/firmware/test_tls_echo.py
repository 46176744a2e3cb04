"""tls-echo, built by the SDK for the native board, against OpenSSL through a TAP
device: our Ethernet, ARP, IPv4, TCP and TLS 1.3 to a real peer, with the
development identity the SDK made for the app."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography import x509

from sdk.devkeys import dev_dir
from sdk.errors import ROOT
from tests.net.netns import IMAGE_IP, Lab, require_netns

pytestmark = pytest.mark.netns
SCONS = str(Path(sys.executable).with_name("scons"))


@pytest.fixture(scope="module")
def image() -> Path:
    proc = subprocess.run([SCONS, "-Q", "board=native", "app=tls-echo"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "development key and self-signed certificate" in proc.stdout
    # The SDK reports RAM per connection from the app's sizes (2 x 16 KiB records).
    assert "TLS: 2 connection(s) x 20440 B = 40880 B of RAM" in proc.stdout
    return ROOT / "build" / "native" / "tls-echo" / "tls-echo.elf"


def s_client(lab: Lab, data: bytes, *extra: str) -> tuple[bytes, str]:
    """openssl s_client: send data, read as many bytes back, then close; returns
    what came back and s_client's report."""
    cmd = lab.cmd("openssl", "s_client", "-connect", f"{IMAGE_IP}:4433", "-tls1_3",
                  "-CAfile", str(dev_dir("tls-echo") / "cert.pem"), "-verify_return_error",
                  "-verify_ip", IMAGE_IP, "-quiet", "-no_ign_eof", "-nocommands", *extra)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:  # in a thread: the echo must be read while data goes out
        stdin.write(data)
        stdin.flush()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        got = b""
        while len(got) < len(data):
            chunk = proc.stdout.read1(65536)
            if not chunk:
                break
            got += chunk
        writer.join(timeout=30)
        stdin.close()
        proc.wait(timeout=30)
        err = proc.stderr.read() if proc.stderr else b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return got, err.decode(errors="replace")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_openssl_verifies_the_device_and_gets_its_bytes_back(image: Path) -> None:
    require_netns()
    payload = os.urandom(64 * 1024)
    with Lab() as lab:
        img = lab.start_image(image, f"--ip={IMAGE_IP}/24")
        img.expect(r"tls-echo: listening on 10\.0\.0\.2:4433", timeout=20)
        for group in ("X25519", "P-256"):
            got, report = s_client(lab, payload, "-groups", group)
            assert hashlib.sha256(got).digest() == hashlib.sha256(payload).digest(), \
                report[-800:]
            img.expect(r"connection closed \(-14\)", timeout=20)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_a_client_that_does_not_trust_the_device_is_refused_and_the_slot_freed(
        image: Path, tmp_path: Path) -> None:
    require_netns()
    from cryptography.hazmat.primitives import serialization

    other = tmp_path / "other.pem"
    cert = x509.load_pem_x509_certificate((dev_dir("tls-echo") / "cert.pem").read_bytes())
    other.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    with Lab() as lab:
        img = lab.start_image(image, f"--ip={IMAGE_IP}/24")
        img.expect(r"listening", timeout=20)
        wrong = lab.cmd("openssl", "s_client", "-connect", f"{IMAGE_IP}:4433", "-tls1_3",
                        "-CAfile", "/etc/ssl/certs/ca-certificates.crt", "-verify_return_error")
        bad = subprocess.run(wrong, input=b"x", capture_output=True, timeout=60)
        assert bad.returncode != 0
        img.expect(r"connection closed \(-\d+\), served 0, failed 1", timeout=20)
        # The slot came back: a trusting client is served after the refused one.
        got, report = s_client(lab, b"after\n")
        assert got == b"after\n", report[-800:]
