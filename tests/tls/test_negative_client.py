"""A hostile server against our client (built with ASan + UBSan): downgrades,
unsolicited or misplaced extensions, bad key shares, a second retry, a bad
signature or Finished, broken records. Each must get the RFC's alert from our
client, seen both on the wire and in the client's report."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.tls import scripted as S
from tests.tls.tls_util import Identity, build_client

UNEXPECTED, BAD_MAC, OVERFLOW, ILLEGAL, DECODE = 10, 20, 22, 47, 50
DECRYPT, PROTOCOL, UNSUPPORTED_EXT = 51, 70, 110
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

Script = Callable[[S.ServerScript, Identity], None]


def _hello(**kw: object) -> Script:
    """Answer with a ServerHello built with these changes (plaintext stage)."""
    def run(s: S.ServerScript, ident: Identity) -> None:
        s.read_hello()
        ks, _ = s.x25519_share()
        ks = kw.pop("key_share", ks)  # type: ignore[assignment]
        s.send(S.record(S.HS, S.server_hello(kw.pop("suite", S.AES128), ks, **kw)))  # type: ignore[arg-type]
    return run


def _encrypted(*build: Callable[[S.ServerScript, Identity], bytes]) -> Script:
    """A good ServerHello, then the given messages under the handshake keys."""
    def run(s: S.ServerScript, ident: Identity) -> None:
        s.read_hello()
        ks, shared = s.x25519_share()
        s.send_hello(S.server_hello(S.AES128, ks), shared)
        s.send_encrypted(*[b(s, ident) for b in build])
    return run


def ee(extra: bytes = b"") -> Callable[[S.ServerScript, Identity], bytes]:
    return lambda s, i: S.hs(8, S.vec(extra, 2))


def cert(s: S.ServerScript, ident: Identity) -> bytes:
    der = ident.cert_der.read_bytes()
    return S.hs(11, b"\0" + S.vec(S.vec(der, 3) + S.u16(0), 3))


def _key(ident: Identity) -> object:
    return serialization.load_pem_private_key(ident.key_pem.read_bytes(), None)


def _flight_then(last: Callable[[S.ServerScript, Identity], None]) -> Script:
    """EE and Certificate sent; the CertificateVerify / Finished step is `last`."""
    def run(s: S.ServerScript, ident: Identity) -> None:
        s.read_hello()
        ks, shared = s.x25519_share()
        s.send_hello(S.server_hello(S.AES128, ks), shared)
        s.send_encrypted(ee()(s, ident), cert(s, ident))
        last(s, ident)
    return run


def _bad_signature(s: S.ServerScript, ident: Identity) -> None:
    cv = bytearray(s.cert_verify(_key(ident)))
    cv[-5] ^= 1
    s.send_encrypted(bytes(cv))


def _bad_finished(s: S.ServerScript, ident: Identity) -> None:
    s.send_encrypted(s.cert_verify(_key(ident)))
    fin = bytearray(s.finished())
    fin[-1] ^= 1
    s.send_encrypted(bytes(fin))


def _bad_mac(s: S.ServerScript, ident: Identity) -> None:
    assert s.wr
    rec = bytearray(s.wr.seal(S.HS, s.cert_verify(_key(ident))))
    rec[-3] ^= 1
    s.send(bytes(rec))


def _oversized(s: S.ServerScript, ident: Identity) -> None:
    s.read_hello()
    s.send(S.record(S.HS, b"\x02" + b"\0" * 16400))


def _two_hrr(s: S.ServerScript, ident: Identity) -> None:
    s.read_hello()
    hrr = S.server_hello(S.AES128, S.ext(51, S.u16(S.P256)), random=HRR_RANDOM)
    s.send(S.record(S.HS, hrr))
    s.read_record()
    s.send(S.record(S.HS, hrr))


def _hrr_same_group(s: S.ServerScript, ident: Identity) -> None:
    s.read_hello()
    s.send(S.record(S.HS, S.server_hello(S.AES128, S.ext(51, S.u16(S.X25519)),
                                         random=HRR_RANDOM)))


CASES: dict[str, tuple[Script, int]] = {
    "TLS 1.2 answer": (_hello(version_ext=False), PROTOCOL),
    "TLS 1.2 answer with the downgrade sentinel": (
        _hello(version_ext=False, random=bytes(24) + b"DOWNGRD\x01"), ILLEGAL),
    "suite not offered": (_hello(suite=0x1304), ILLEGAL),
    "session id not echoed": (_hello(sid=b"\x01" * 32), ILLEGAL),
    "compression": (_hello(comp=1), ILLEGAL),
    "unknown extension in ServerHello": (_hello(extra=S.ext(0x1234, b"")), UNSUPPORTED_EXT),
    "ALPN in ServerHello": (_hello(extra=S.ext(16, S.vec(S.vec(b"h2", 1), 2))), ILLEGAL),
    "key share for a group not offered": (
        _hello(key_share=S.ext(51, S.u16(S.P256) + S.vec(b"\x04" + b"\x01" * 64, 2))), ILLEGAL),
    "x25519 share of small order": (
        _hello(key_share=S.ext(51, S.u16(S.X25519) + S.vec(b"\0" * 32, 2))), ILLEGAL),
    "second HelloRetryRequest": (_two_hrr, UNEXPECTED),
    "retry for the group already sent": (_hrr_same_group, ILLEGAL),
    "key_share in EncryptedExtensions": (
        _encrypted(ee(S.ext(51, S.u16(S.X25519) + S.vec(b"\1" * 32, 2)))), ILLEGAL),
    "unknown extension in EncryptedExtensions": (_encrypted(ee(S.ext(0x4444, b""))),
                                                  UNSUPPORTED_EXT),
    "ALPN never offered": (_encrypted(ee(S.ext(16, S.vec(S.vec(b"h2", 1), 2)))),
                           UNSUPPORTED_EXT),
    "empty Certificate": (_encrypted(ee(), lambda s, i: S.hs(11, b"\0" + S.u24(0))), DECODE),
    "Finished before the certificate": (_encrypted(ee(), lambda s, i: S.hs(20, b"\0" * 32)),
                                        UNEXPECTED),
    "bad CertificateVerify signature": (_flight_then(_bad_signature), DECRYPT),
    "bad server Finished": (_flight_then(_bad_finished), DECRYPT),
    "bad record MAC": (_flight_then(_bad_mac), BAD_MAC),
    "oversized record": (_oversized, OVERFLOW),
}


@pytest.fixture(scope="module")
def asan_client() -> Path:
    return build_client("asan")


@pytest.mark.parametrize("case", list(CASES))
def test_client_refuses(asan_client: Path, idents: dict[str, Identity], case: str) -> None:
    script, alert = CASES[case]
    ident = idents["ecdsa"]
    ls = socket.create_server(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    proc = subprocess.Popen([str(asan_client), f"port={port}", f"ca={ident.cert_der}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        conn, _ = ls.accept()
        conn.settimeout(10)
        s = S.ServerScript(conn)
        script(s, ident)
        seen = s.read_alert()
        conn.close()
        out, err = proc.communicate(timeout=20)
    finally:
        ls.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    fields = dict(f.split("=", 1) for f in out.split()[1:] if "=" in f)
    assert out.startswith("FAIL"), out + err
    assert fields.get("alert_sent") == str(alert) and seen == alert, (out, seen)
    assert "Sanitizer" not in err and "runtime error" not in err, err


@pytest.mark.parametrize("with_group", [True, False], ids=["cookie+group", "cookie-only"])
def test_retry_with_cookie(asan_client: Path, idents: dict[str, Identity],
                           with_group: bool) -> None:
    """A HelloRetryRequest with a cookie (4.2.2): the second ClientHello echoes it
    and repeats the first one's random; a cookie-only retry keeps the x25519
    share, a retry for P-256 replaces it by one P-256 share."""
    ident = idents["ecdsa"]
    ls = socket.create_server(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    proc = subprocess.Popen([str(asan_client), f"port={port}", f"ca={ident.cert_der}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        conn, _ = ls.accept()
        conn.settimeout(10)
        s = S.ServerScript(conn)
        ch1 = s.read_hello()
        r1 = s.transcript[6:38]
        cookie = bytes(range(40)) * 3
        exts = S.ext(44, S.vec(cookie, 2))
        if with_group:
            exts += S.ext(51, S.u16(S.P256))
        s.send(S.record(S.HS, S.server_hello(S.AES128, b"", random=HRR_RANDOM, extra=exts)))
        r = s.read_record()
        assert r is not None and r[0] == S.HS
        ch2 = S.parse_client_hello(r[5:])
        conn.close()
        proc.communicate(timeout=20)
    finally:
        ls.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert ch2["exts"][44] == S.vec(cookie, 2)  # type: ignore[index]
    assert r[5 + 6: 5 + 38] == r1
    if with_group:
        assert list(ch2["shares"]) == [S.P256]  # type: ignore[call-overload]
    else:
        assert ch2["shares"] == ch1["shares"]
