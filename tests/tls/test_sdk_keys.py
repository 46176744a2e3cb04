"""The SDK's key pipeline feeding the engine: PEM files made with `cryptography`
(a CA, an intermediate, a device key and certificate) go through sdk/keys.py into
C; our server built with them is verified by `openssl s_client -verify_return_error`
against the CA, and our client built with the generated anchors accepts an
OpenSSL server presenting the same chain."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from sdk import keys
from tests.hostc import build_program
from tests.tls.test_client_interop import _free_port, _wait_port
from tests.tls.tls_util import TLS_SRC, crypto_src, include, make_ca, make_identity


def _chain_and_anchors(tmp_path: Path, dev: Any, inter: Any, root: Any) -> tuple[Path, Path]:
    """chain.pem (device, intermediate) and root.pem, and their C in tmp_path/gen:
    device_chain.c and anchors.c, as the SDK writes them."""
    pem = serialization.Encoding.PEM
    chain_pem = tmp_path / "chain.pem"
    chain_pem.write_bytes(dev.cert_pem.read_bytes() + inter.cert.public_bytes(pem))
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(root.cert.public_bytes(pem))
    gen = tmp_path / "gen"
    keys.write_c(gen, "device_chain", keys.certificates_c(
        "device_chain", keys.load_certificates(chain_pem), "chain.pem"))
    keys.write_c(gen, "anchors", keys.certificates_c(
        "anchors", keys.load_certificates(root_pem), "root.pem"))
    return chain_pem, root_pem


def _serve_once(exe: Path, root_pem: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """Our server for one connection from `openssl s_client`, which verifies the
    chain against root_pem and the name device.example; (s_client's run, our
    server's output)."""
    srv = subprocess.Popen([str(exe), "server"], stdout=subprocess.PIPE, text=True)
    try:
        assert srv.stdout is not None
        port = int(srv.stdout.readline().split()[1])
        p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3",
                            "-CAfile", str(root_pem), "-verify_return_error",
                            "-verify_hostname", "device.example"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        out, _ = srv.communicate(timeout=20)
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
    return p, out


def test_sdk_generated_keys(tmp_path: Path) -> None:
    root = make_ca(tmp_path, "rsa", "SDK Root")
    inter = make_ca(tmp_path, "ecdsa", "SDK Intermediate", issuer=root)
    dev = make_identity(tmp_path, "ecdsa", "device.example", issuer=inter)
    chain_pem, root_pem = _chain_and_anchors(tmp_path, dev, inter, root)
    gen = tmp_path / "gen"
    keys.write_c(gen, "device_key", keys.p256_key_c("device_key",
                                                     keys.load_p256_private_key(dev.key_pem)))
    exe = build_program("tls_sdk_keys", ["tests/tls/sdk_keys_prog.c", "tests/tls/tls_posix.c",
                                         str(gen / "device_key.c"), str(gen / "device_chain.c"),
                                         str(gen / "anchors.c"), *TLS_SRC, *crypto_src()],
                        include=[*include(), str(gen)])

    p, out = _serve_once(exe, root_pem)
    assert "Verify return code: 0 (ok)" in p.stdout, p.stdout[-1500:] + p.stderr
    assert out.startswith("DONE"), out

    port = _free_port()
    osrv = subprocess.Popen(
        ["openssl", "s_server", "-accept", str(port), "-tls1_3", "-cert", str(dev.cert_pem),
         "-key", str(dev.key_pem), "-cert_chain", str(chain_pem), "-naccept", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, osrv)
        c = subprocess.run([str(exe), "client", str(port)], capture_output=True, text=True,
                           timeout=30)
        assert osrv.stdin is not None and osrv.stdout is not None
        # s_server leaves by itself once the one connection (-naccept 1) is over.
        # Closing its stdin first raced with it: an EOF on stdin seen before the
        # client's data ends the session without printing that data.
        osrv.wait(timeout=20)
        osrv.stdin.close()
        text = osrv.stdout.read()
    finally:
        if osrv.poll() is None:
            osrv.kill()
            osrv.wait()
    assert c.stdout.startswith("DONE"), c.stdout + c.stderr
    assert b"ping" in text


def test_sdk_generated_rsa_key(tmp_path: Path) -> None:
    """An RSA-2048 device key (PKCS#8 PEM) through sdk/keys.py's rsa_key_c into our
    server: OpenSSL verifies the chain and the RSA-PSS CertificateVerify."""
    root = make_ca(tmp_path, "ecdsa", "SDK Root")
    inter = make_ca(tmp_path, "rsa", "SDK Intermediate", issuer=root)
    dev = make_identity(tmp_path, "rsa", "device.example", issuer=inter)
    _, root_pem = _chain_and_anchors(tmp_path, dev, inter, root)
    gen = tmp_path / "gen"
    keys.write_c(gen, "device_rsa", keys.rsa_key_c("device_rsa",
                                                   keys.load_rsa_private_key(dev.key_pem)))
    exe = build_program("tls_sdk_keys_rsa",
                        ["tests/tls/sdk_keys_prog.c", "tests/tls/tls_posix.c",
                         str(gen / "device_rsa.c"), str(gen / "device_chain.c"),
                         str(gen / "anchors.c"), *TLS_SRC, *crypto_src()],
                        include=[*include(), str(gen)],
                        defines=["SDK_KEYS_RSA", "APOGEE_TLS_RSA=1"])
    p, out = _serve_once(exe, root_pem)
    assert "Verify return code: 0 (ok)" in p.stdout, p.stdout[-1500:] + p.stderr
    assert "Peer signature type: RSA-PSS" in p.stdout, p.stdout[-1500:]
    assert out.startswith("DONE") and "sig=0x0804" in out, out
