"""Our server against OpenSSL's s_client, GnuTLS's gnutls-cli, curl and Python's
ssl: every cipher suite by every group, 1 MiB each way, checked by hash on both
sides; the suite and group are asserted as the PEER reports them.

Our server is restricted to one suite and one group per run, so a client that
offers a key share only for x25519 is sent a HelloRetryRequest for P-256."""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

from tests.tls.tls_util import GROUPS, SUITES, Identity, Server

MIB = 1 << 20
COMBOS = [(s, g) for s in SUITES for g in GROUPS]
IDS = [f"{s[4:-7]}-{g}" for s, g in COMBOS]


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _check_server(res: dict[str, str], suite: str, group: str, data: bytes) -> None:
    assert res["status"] == "DONE", res
    assert int(res["suite"], 16) == SUITES[suite][1]
    assert int(res["group"], 16) == GROUPS[group][1]
    assert res["sha256"] == _sha(data)


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_openssl_s_client(server_exe: Path, idents: dict[str, Identity], payload: Path,
                          suite: str, group: str) -> None:
    data = payload.read_bytes()
    with Server(server_exe, idents["ecdsa"], suites=SUITES[suite][0], groups=GROUPS[group][0],
                bytes=MIB) as srv:
        p = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{srv.port}", "-tls1_3",
             "-ciphersuites", suite, "-ign_eof", "-quiet", "-msg"][:-1] + ["-brief"],
            stdin=payload.open("rb"), capture_output=True, timeout=60)
        res = srv.result()
    err = p.stderr.decode(errors="replace")
    assert p.stdout == data, f"echo differs ({len(p.stdout)} bytes); {err[-500:]}"
    assert f"Ciphersuite: {suite}" in err, err
    peer_group = {"X25519": "X25519", "P-256": "ECDH, prime256v1"}[group]
    assert re.search(rf"Server Temp Key: {peer_group}", err), err
    _check_server(res, suite, group, data)


GNUTLS = {"TLS_AES_128_GCM_SHA256": "AES-128-GCM", "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
          "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305"}
GNUTLS_G = {"X25519": "GROUP-X25519", "P-256": "GROUP-SECP256R1"}


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_gnutls_cli(server_exe: Path, idents: dict[str, Identity], payload: Path,
                    suite: str, group: str) -> None:
    data = payload.read_bytes()
    prio = (f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{GNUTLS[suite]}:"
            f"-GROUP-ALL:+{GNUTLS_G[group]}")
    # The server may use only the one suite and group the client is limited to,
    # but takes any of ours: the peer's choice is what is checked.
    with Server(server_exe, idents["ed25519"], bytes=MIB) as srv:
        p = subprocess.run(
            ["gnutls-cli", "--insecure", "--priority", prio, "-p", str(srv.port), "127.0.0.1"],
            stdin=payload.open("rb"), capture_output=True, timeout=60)
        res = srv.result()
    out = p.stdout
    # gnutls-cli prints its report on stdout before the echoed data.
    text = out[: out.find(b"- Simple Client Mode")].decode(errors="replace")
    at = out.find(data[:64])
    assert at > 0 and out[at: at + len(data)] == data, f"echo differs; {p.stderr[-500:]!r}"
    kx = "X25519" if group == "X25519" else "SECP256R1"
    assert re.search(rf"Description: \(TLS1\.3[^)]*\)-\(ECDHE-{kx}\)"
                     rf"-\(EdDSA-Ed25519\)-\({GNUTLS[suite]}\)", text), text
    _check_server(res, suite, group, data)


CURL_G = {"X25519": "X25519", "P-256": "prime256v1"}


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_curl(server_exe: Path, idents: dict[str, Identity], payload: Path, tmp_path: Path,
              suite: str, group: str) -> None:
    data = payload.read_bytes()
    out = tmp_path / "body"
    with Server(server_exe, idents["ecdsa"], mode="http") as srv:
        p = subprocess.run(
            ["curl", "-sS", "-v", "-k", "--tlsv1.3", "--tls13-ciphers", suite, "--curves",
             CURL_G[group], "--data-binary", f"@{payload}", "-o", str(out),
             "-H", "Content-Type: application/octet-stream", "-H", "Expect:",
             f"https://localhost:{srv.port}/echo"],
            capture_output=True, timeout=60)
        res = srv.result()
    err = p.stderr.decode(errors="replace")
    assert p.returncode == 0, err[-800:]
    assert f"SSL connection using TLSv1.3 / {suite}" in err, err
    assert out.read_bytes() == data
    assert res["sni"] == "localhost"
    _check_server(res, suite, group, data)


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_python_ssl(server_exe: Path, idents: dict[str, Identity], payload: Path,
                    suite: str, group: str) -> None:
    """Python's ssl cannot pick TLS 1.3 suites or groups, so our server is limited
    to one of each; the suite is checked as Python reports it."""
    data = payload.read_bytes()
    ident = idents["ecdsa"]
    ctx = ssl.create_default_context(cafile=str(ident.cert_pem))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with Server(server_exe, ident, suites=SUITES[suite][0], groups=GROUPS[group][0],
                bytes=MIB) as srv:
        raw = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            assert s.cipher()[0] == suite
            assert s.version() == "TLSv1.3"
            # One thread (an SSL object must not be used from two at once):
            # send a piece, read its echo, repeat.
            got = bytearray()
            for off in range(0, len(data), 16384):
                s.sendall(data[off: off + 16384])
                while len(got) < min(off + 16384, len(data)):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
        res = srv.result()
    assert bytes(got) == data
    _check_server(res, suite, group, data)


TLS12_CLIENTS = {
    "openssl": (["openssl", "s_client", "-connect", "127.0.0.1:{port}", "-tls1_2"],
                "alert protocol version"),
    "gnutls": (["gnutls-cli", "--insecure", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                "-p", "{port}", "127.0.0.1"], "protocol version"),
    "curl": (["curl", "-sS", "-k", "--tls-max", "1.2", "https://127.0.0.1:{port}/"],
             "alert protocol version"),
}


@pytest.mark.parametrize("client", list(TLS12_CLIENTS) + ["python"])
def test_tls12_client_gets_protocol_version(server_exe: Path, idents: dict[str, Identity],
                                            client: str) -> None:
    with Server(server_exe, idents["ecdsa"], bytes=1) as srv:
        if client == "python":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            raw = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            with pytest.raises(ssl.SSLError, match="PROTOCOL_VERSION"):
                ctx.wrap_socket(raw)
            raw.close()
        else:
            args, want = TLS12_CLIENTS[client]
            p = subprocess.run([a.format(port=srv.port) for a in args],
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
            text = (p.stdout + p.stderr).decode(errors="replace")
            assert want in text.lower(), text
        res = srv.result()
    assert res["status"] == "FAIL" and res["alert_sent"] == "70"
