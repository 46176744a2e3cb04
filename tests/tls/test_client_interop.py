"""Our client against OpenSSL's s_server, GnuTLS's gnutls-serv (echo) and a Python
ssl echo server: every cipher suite by every group, 1 MiB each way, checked by
hash; suite and group asserted as the peer reports them. Our client offers an
x25519 key share only, so each P-256 run goes through a HelloRetryRequest."""

from __future__ import annotations

import hashlib
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.tls.tls_util import GROUPS, SUITES, Identity

COMBOS = [(s, g) for s in SUITES for g in GROUPS]
IDS = [f"{s[4:-7]}-{g}" for s, g in COMBOS]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_client(exe: Path, port: int, anchor: Path, **opts: object) -> dict[str, str]:
    args = [str(exe), f"port={port}", f"ca={anchor}", *[f"{k}={v}" for k, v in opts.items()]]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    line = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else f"NOOUT {p.stderr}"
    status, *fields = line.split()
    out = {"status": status}
    out.update(dict(f.split("=", 1) for f in fields if "=" in f))
    return out


def _wait_port(port: int, proc: subprocess.Popen[bytes], deadline: float = 10.0) -> None:
    """Wait until something listens on port, without connecting to it."""
    end = time.monotonic() + deadline
    hexport = f":{port:04X}"
    while time.monotonic() < end:
        for f in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(f).read_text().splitlines()[1:]:
                cols = line.split()
                if cols[1].endswith(hexport) and cols[3] == "0A":
                    return
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def _check(res: dict[str, str], suite: str, group: str, data: bytes) -> None:
    assert res["status"] == "DONE", res
    assert int(res["suite"], 16) == SUITES[suite][1]
    assert int(res["group"], 16) == GROUPS[group][1]
    assert res["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_openssl_s_server(client_exe: Path, idents: dict[str, Identity], text_payload: Path,
                          tmp_path: Path, suite: str, group: str) -> None:
    """s_server sends what it reads on stdin and prints what it receives; our client
    sends 1 MiB then reads 1 MiB (a different one)."""
    ident = idents["ed25519"]
    data = text_payload.read_bytes()
    # What s_server sends back comes through its console, where a read of at most
    # two bytes starting with a command letter (c: post-handshake CertificateRequest,
    # P: plaintext garbage, k: KeyUpdate...) is obeyed instead of sent. A pipe read
    # that catches just the end of a hex line ("c\n") happened under load, so the
    # lines sent back are digits only.
    back = b"".join(reversed(data.splitlines(keepends=True))).translate(
        bytes.maketrans(b"abcdef", b"012345"))
    port = _free_port()
    out = tmp_path / "s_server.out"
    ossl_group = {"X25519": "X25519", "P-256": "P-256"}[group]
    with out.open("wb") as fo:
        srv = subprocess.Popen(
            ["openssl", "s_server", "-accept", str(port), "-tls1_3", "-cert", str(ident.cert_pem),
             "-key", str(ident.key_pem), "-naccept", "1", "-ciphersuites", suite,
             "-groups", ossl_group],
            stdin=subprocess.PIPE, stdout=fo, stderr=subprocess.STDOUT)
        try:
            _wait_port(port, srv)
            assert srv.stdin is not None
            stdin = srv.stdin

            def feed() -> None:
                # s_server reads its console before a client connects too: wait
                # for the handshake to have been reported.
                end = time.monotonic() + 20
                while b"CIPHER is" not in out.read_bytes() and time.monotonic() < end:
                    time.sleep(0.02)
                stdin.write(back)
                stdin.flush()

            feeder = threading.Thread(target=feed)
            feeder.start()
            res = run_client(client_exe, port, ident.cert_der, data=text_payload, mode="swap")
            feeder.join()
            srv.stdin.close()
            srv.wait(timeout=20)
        finally:
            if srv.poll() is None:
                srv.kill()
                srv.wait()
    text = out.read_bytes()
    assert f"CIPHER is {suite}".encode() in text, text[-2000:]
    assert f"Shared groups: {'x25519' if group == 'X25519' else 'secp256r1'}".encode() in text
    start = text.index(b"Secure Renegotiation IS NOT supported\n") + 38
    assert text[start: start + len(data)] == data
    _check(res, suite, group, back)


GNUTLS = {"TLS_AES_128_GCM_SHA256": "AES-128-GCM", "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
          "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305"}
GNUTLS_G = {"X25519": "X25519", "P-256": "SECP256R1"}


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_gnutls_serv(client_exe: Path, idents: dict[str, Identity], text_payload: Path,
                     tmp_path: Path, suite: str, group: str) -> None:
    ident = idents["ecdsa"]
    data = text_payload.read_bytes()
    port = _free_port()
    prio = (f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{GNUTLS[suite]}:"
            f"-GROUP-ALL:+GROUP-{GNUTLS_G[group]}")
    out = tmp_path / "gnutls.out"
    with out.open("wb") as fo:
        srv = subprocess.Popen(
            ["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", str(ident.cert_pem),
             "--x509keyfile", str(ident.key_pem), "--priority", prio],
            stdout=fo, stderr=subprocess.STDOUT)
        try:
            _wait_port(port, srv)
            res = run_client(client_exe, port, ident.cert_der, data=text_payload, mode="echo")
        finally:
            srv.terminate()
            srv.wait()
    text = out.read_bytes().decode(errors="replace")
    assert (f"(ECDHE-{GNUTLS_G[group]})-(ECDSA-SECP256R1-SHA256)-({GNUTLS[suite]})"
            in text), text[-2000:]
    _check(res, suite, group, data)


@pytest.mark.parametrize(("suite", "group"), COMBOS, ids=IDS)
def test_python_ssl_server(client_exe: Path, idents: dict[str, Identity], payload: Path,
                           suite: str, group: str) -> None:
    """Python cannot restrict TLS 1.3 suites or groups on its side: our client offers
    only the one; the server side reports the suite it negotiated."""
    ident = idents["ecdsa"]
    data = payload.read_bytes()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(str(ident.cert_pem), str(ident.key_pem))
    ls = socket.create_server(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    seen: dict[str, object] = {}

    def serve() -> None:
        conn, _ = ls.accept()
        conn.settimeout(30)
        with ctx.wrap_socket(conn, server_side=True) as s:
            seen["cipher"] = s.cipher()[0]
            h = hashlib.sha256()
            n = 0
            while n < len(data):
                chunk = s.recv(65536)
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
                s.sendall(chunk)
            seen["sha"] = h.hexdigest()
            try:
                s.unwrap()
            except (ssl.SSLError, OSError):
                pass

    t = threading.Thread(target=serve)
    t.start()
    res = run_client(client_exe, port, ident.cert_der, data=payload, mode="echo",
                     suites=SUITES[suite][0], groups=GROUPS[group][0])
    t.join(30)
    ls.close()
    assert seen.get("cipher") == suite
    assert seen.get("sha") == hashlib.sha256(data).hexdigest()
    _check(res, suite, group, data)
