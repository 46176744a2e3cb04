"""Session tickets and PSK resumption (psk_dhe_ke): our server issues tickets and
resumes OpenSSL's s_client; our client resumes with OpenSSL's s_server and with
our server (also through a HelloRetryRequest, and with a SHA-384 suite); an
altered ticket means a full handshake, a wrong PSK gets decrypt_error."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.tls.test_client_interop import _free_port, _wait_port, run_client
from tests.tls.tls_util import Identity, Server

TICKET_AT, PSK_AT = 66, 3  # offsets in tls_session (tls.h) as the client saves it


def test_openssl_client_resumes(server_exe: Path, idents: dict[str, Identity],
                                tmp_path: Path) -> None:
    sess = tmp_path / "sess.pem"
    with Server(server_exe, idents["ecdsa"], mode="hold", conns=2, tickets=1) as srv:
        outs = []
        for extra in (["-sess_out", str(sess)], ["-sess_in", str(sess)]):
            p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{srv.port}",
                                "-tls1_3", *extra], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=30)
            outs.append((p.stdout.decode(), srv.result()))
    (first, r1), (second, r2) = outs
    assert "New, TLSv1.3" in first and "lifetime hint: 7200" in first, first
    assert "Reused, TLSv1.3" in second, second
    assert r1["resumed"] == "0" and r2["resumed"] == "1", (r1, r2)


def test_our_client_resumes_with_openssl(client_exe: Path, idents: dict[str, Identity],
                                         tmp_path: Path) -> None:
    ident = idents["ecdsa"]
    line = tmp_path / "line"
    line.write_bytes(b"resume me\n")
    sess = tmp_path / "session.bin"
    port = _free_port()
    srv = subprocess.Popen(
        ["openssl", "s_server", "-accept", str(port), "-tls1_3", "-cert", str(ident.cert_pem),
         "-key", str(ident.key_pem), "-naccept", "2", "-rev"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, srv)
        res = [run_client(client_exe, port, ident.cert_der, data=line, session=sess)
               for _ in range(2)]
        out, _ = srv.communicate(timeout=20)
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
    want = hashlib.sha256(b"em emuser\n").hexdigest()  # -rev answers each line reversed
    assert [r["resumed"] for r in res] == ["0", "1"], res
    assert all(r["sha256"] == want for r in res), res
    assert int(res[0]["ticket"]) > 0


@pytest.mark.parametrize(("suites", "groups"), [(0, 0), (0x02, 0), (0, 0x02)],
                         ids=["aes128-x25519", "aes256-sha384", "hrr-p256"])
def test_our_client_and_server(server_exe: Path, client_exe: Path,
                               idents: dict[str, Identity], tmp_path: Path, payload: Path,
                               suites: int, groups: int) -> None:
    ident = idents["ed25519"]
    sess = tmp_path / "session.bin"
    data = payload.read_bytes()
    with Server(server_exe, ident, bytes=len(data), conns=2, tickets=1, suites=suites,
                groups=groups) as srv:
        res = []
        for _ in range(2):
            res.append((run_client(client_exe, srv.port, ident.cert_der, data=payload,
                                   session=sess), srv.result()))
    assert [c["resumed"] for c, _ in res] == ["0", "1"], res
    assert [s["resumed"] for _, s in res] == ["0", "1"], res
    for c, s in res:
        assert c["sha256"] == s["sha256"] == hashlib.sha256(data).hexdigest()


def test_altered_ticket_and_wrong_psk(server_exe: Path, client_exe: Path,
                                      idents: dict[str, Identity], tmp_path: Path) -> None:
    ident = idents["ecdsa"]
    sess = tmp_path / "session.bin"
    one = tmp_path / "one"
    one.write_bytes(b"1")
    with Server(server_exe, ident, bytes=1, conns=3, tickets=1) as srv:
        assert run_client(client_exe, srv.port, ident.cert_der, data=one,
                          session=sess)["status"] == "DONE"
        srv.result()
        good = sess.read_bytes()
        bad = bytearray(good)
        bad[TICKET_AT + 10] ^= 1
        sess.write_bytes(bytes(bad))
        r = run_client(client_exe, srv.port, ident.cert_der, data=one, session=sess)
        s = srv.result()
        assert r["status"] == "DONE" and r["resumed"] == "0" and s["resumed"] == "0", (r, s)
        bad = bytearray(good)
        bad[PSK_AT] ^= 1
        sess.write_bytes(bytes(bad))
        r = run_client(client_exe, srv.port, ident.cert_der, data=one, session=sess)
        s = srv.result()
    assert r["status"] == "FAIL" and r["alert_rcvd"] == "51" and s["alert_sent"] == "51", (r, s)
