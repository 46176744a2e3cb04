"""A hostile client against our server (built with ASan + UBSan): each broken
input gets the alert RFC 8446 names, the connection is failed and its slot
reused (one server process serves every case in turn, then a good handshake)."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tls import scripted as S
from tests.tls.tls_util import Identity, Server, build_server

UNEXPECTED, BAD_MAC, OVERFLOW, HS_FAIL, ILLEGAL = 10, 20, 22, 40, 47
DECODE, DECRYPT, PROTOCOL, MISSING = 50, 51, 70, 109


def _hello(c: S.Client, **kw: object) -> bytes:
    shares = kw.pop("shares", None)
    if shares is None:
        shares = {S.X25519: c.share(S.X25519)}
    return S.client_hello(shares=shares, **kw)  # type: ignore[arg-type]


def _send_ch(**kw: object) -> Callable[[S.Client], None]:
    def run(c: S.Client) -> None:
        c.send_hello(_hello(c, **kw))
    return run


def _raw(data: bytes) -> Callable[[S.Client], None]:
    return lambda c: c.send(data)


def _after_flight(mutate: Callable[[S.Client], None]) -> Callable[[S.Client], None]:
    def run(c: S.Client) -> None:
        c.send_hello(_hello(c))
        c.handshake_to_finished()
        mutate(c)
    return run


def _short_alert(c: S.Client) -> None:
    assert c.wr
    c.send(c.wr.seal(S.ALERT, b"\x02"))


def _bad_mac(c: S.Client) -> None:
    assert c.wr
    rec = bytearray(c.wr.seal(S.HS, c.finished()))
    rec[-1] ^= 1
    c.send(bytes(rec))


def _bad_finished(c: S.Client) -> None:
    assert c.wr
    fin = bytearray(c.finished())
    fin[-1] ^= 1
    c.send(c.wr.seal(S.HS, bytes(fin)))


def _out_of_order(c: S.Client) -> None:
    assert c.wr
    c.send(c.wr.seal(S.HS, S.hs(24, b"\x00")))  # KeyUpdate before Finished


def _no_content_type(c: S.Client) -> None:
    assert c.wr
    hdr = S.u8(S.APPDATA) + S.u16(0x0303) + S.u16(8 + 16)
    ct = c.wr.aead.encrypt(c.wr._nonce(), b"\0" * 8, hdr)
    c.send(hdr + ct)


def _finished_then_more(c: S.Client) -> None:
    """Finished and another message in one record: a key change must end a record."""
    assert c.wr
    c.send(c.wr.seal(S.HS, c.finished() + S.hs(24, b"\x00")))


def _ccs_encrypted(c: S.Client) -> None:
    assert c.wr
    c.send(c.wr.seal(S.CCS, b"\x01"))


def _bad_ccs(c: S.Client) -> None:
    c.send(S.record(S.CCS, b"\x02"))


def _oversized_ciphertext(c: S.Client) -> None:
    c.send(S.record(S.APPDATA, b"\0" * (16384 + 257)))


def _plain_handshake_after_keys(c: S.Client) -> None:
    c.send(S.record(S.HS, c.finished()))


def _hrr_wrong_group(c: S.Client) -> None:
    """Our server (P-256 only here) asks for P-256; the second hello offers x25519."""
    c.send_hello(_hello(c))
    r = c.read_record()
    assert r is not None and r[0] == S.HS and r[11:43] == bytes.fromhex(
        "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")
    c.send(S.record(S.HS, _hello(c)))


def _psk_not_last(c: S.Client) -> None:
    psk = S.ext(41, S.vec(S.vec(b"id", 2) + b"\0\0\0\0", 2) + S.vec(S.vec(b"\0" * 32, 1), 2))
    c.send_hello(_hello(c, extra=[psk, S.ext(45, b"\x01\x01")]))


def _dup_ext(c: S.Client) -> None:
    c.send_hello(_hello(c, extra=[S.ext(43, S.vec(S.u16(0x0304), 1))]))


def _truncated_vector(c: S.Client) -> None:
    ch = bytearray(_hello(c))
    # the cipher_suites length (after version, random, empty session id) overstated
    ch[4 + 2 + 32 + 1: 4 + 2 + 32 + 3] = struct.pack("!H", 0x4000)
    c.send(S.record(S.HS, bytes(ch)))


CASES: dict[str, tuple[Callable[[S.Client], None], int]] = {
    "tls12-only supported_versions": (_send_ch(versions=[0x0303]), PROTOCOL),
    "no supported_versions": (_send_ch(drop=(43,)), PROTOCOL),
    "compression offered": (_send_ch(comp=b"\x02\x01\x00"), ILLEGAL),
    "no common suite": (_send_ch(suites=[0x1304, 0xC02F]), HS_FAIL),
    "no common group": (_send_ch(groups=[0x001E], shares={}), HS_FAIL),
    "missing key_share": (_send_ch(drop=(51,)), MISSING),
    "missing signature_algorithms": (_send_ch(drop=(13,)), MISSING),
    "no usable signature scheme": (_send_ch(sigalgs=[0x0804]), HS_FAIL),
    "x25519 share of wrong length": (_send_ch(shares={S.X25519: b"\x01" * 31}), ILLEGAL),
    "x25519 share of small order": (_send_ch(shares={S.X25519: b"\0" * 32}), ILLEGAL),
    "P-256 share not on the curve": (_send_ch(groups=[S.P256],
                                              shares={S.P256: b"\x04" + b"\x01" * 64}), ILLEGAL),
    "duplicate extension": (_dup_ext, ILLEGAL),
    "pre_shared_key not last": (_psk_not_last, ILLEGAL),
    "truncated vector": (_truncated_vector, DECODE),
    "oversized plaintext record": (_raw(S.record(S.HS, b"\x01" + b"\0" * 16384)), OVERFLOW),
    "unknown content type": (_raw(S.record(0x30, b"hi")), UNEXPECTED),
    "application data first": (_raw(S.record(S.APPDATA, b"hi")), UNEXPECTED),
    "server message from client": (_raw(S.record(S.HS, S.hs(2, b"\0" * 40))), UNEXPECTED),
    "empty handshake record": (_raw(S.record(S.HS, b"")), UNEXPECTED),
    "alert of wrong length": (_after_flight(_short_alert), DECODE),
    "bad record MAC": (_after_flight(_bad_mac), BAD_MAC),
    "bad Finished": (_after_flight(_bad_finished), DECRYPT),
    "out-of-order message": (_after_flight(_out_of_order), UNEXPECTED),
    "record without content type": (_after_flight(_no_content_type), UNEXPECTED),
    "message after key change in one record": (_after_flight(_finished_then_more), UNEXPECTED),
    "encrypted change_cipher_spec": (_after_flight(_ccs_encrypted), UNEXPECTED),
    "change_cipher_spec not 0x01": (_after_flight(_bad_ccs), UNEXPECTED),
    "oversized ciphertext": (_after_flight(_oversized_ciphertext), OVERFLOW),
    "plaintext handshake after keys": (_after_flight(_plain_handshake_after_keys), UNEXPECTED),
}


@pytest.fixture(scope="module")
def asan_server() -> Path:
    return build_server("asan")


def test_each_bad_input_gets_its_alert(asan_server: Path, idents: dict[str, Identity]) -> None:
    failures = []
    with Server(asan_server, idents["ecdsa"], bytes=5, conns=len(CASES) + 1) as srv:
        for name, (script, alert) in CASES.items():
            c = S.Client.connect(srv.port)
            try:
                script(c)
                got = c.read_alert()
            finally:
                c.close()
            res = srv.result()
            if got != alert or res.get("alert_sent") != str(alert) or res["status"] != "FAIL":
                failures.append(f"{name}: peer saw {got}, server {res}, want {alert}")
        # After all that, the same slot still serves a good client.
        c = S.Client.connect(srv.port)
        c.send_hello(_hello(c))
        c.handshake_to_finished()
        c.complete()
        assert c.wr and c.rd
        c.send(c.wr.seal(S.APPDATA, b"hello"))
        r = c.read_record()
        while r is not None and c.rd.open(r)[0] != S.APPDATA:
            r = c.read_record()
        c.close()
        res = srv.result()
        assert res["status"] == "DONE", res
        srv.proc.wait(timeout=10)
        err = srv.proc.stderr.read() if srv.proc.stderr else ""
    assert not failures, "\n".join(failures)
    assert "Sanitizer" not in err and "runtime error" not in err, err


def test_hrr_answered_wrongly(asan_server: Path, idents: dict[str, Identity]) -> None:
    with Server(asan_server, idents["ecdsa"], bytes=5, groups=0x02) as srv:
        c = S.Client.connect(srv.port)
        _hrr_wrong_group(c)
        got = c.read_alert()
        c.close()
        res = srv.result()
    assert got == ILLEGAL and res["alert_sent"] == str(ILLEGAL), res


def test_truncated_then_closed(asan_server: Path, idents: dict[str, Identity]) -> None:
    """Half a ClientHello, then the peer goes away: the slot is freed (no alert
    can be delivered), the next connection works."""
    with Server(asan_server, idents["ecdsa"], bytes=5, conns=2) as srv:
        c = S.Client.connect(srv.port)
        ch = _hello(c)
        c.send(S.record(S.HS, ch)[: 40])
        c.close()
        res = srv.result()
        assert res["status"] == "FAIL"
        c = S.Client.connect(srv.port)
        c.send_hello(_hello(c))
        c.handshake_to_finished()
        c.complete()
        assert c.wr
        c.send(c.wr.seal(S.APPDATA, b"12345"))
        c.read_record()
        c.close()
        assert srv.result()["status"] == "DONE"


def test_silent_peer_times_out(asan_server: Path, idents: dict[str, Identity]) -> None:
    """Half a ClientHello, then silence: the handshake deadline (1.5 s here) fails
    the connection (APG_ETIMEDOUT = -8) and frees the slot for the next client."""
    with Server(asan_server, idents["ecdsa"], bytes=5, conns=2, hsms=1500) as srv:
        c = S.Client.connect(srv.port)
        c.send(S.record(S.HS, _hello(c))[:40])
        res = srv.result(timeout=10)
        c.close()
        assert res["status"] == "FAIL" and res["err"] == "-8", res
        c = S.Client.connect(srv.port)
        c.send_hello(_hello(c))
        c.handshake_to_finished()
        c.complete()
        assert c.wr
        c.send(c.wr.seal(S.APPDATA, b"12345"))
        c.read_record()
        c.close()
        assert srv.result()["status"] == "DONE"


def test_fragmented_and_coalesced_records(asan_server: Path, idents: dict[str, Identity]) -> None:
    """Legal but unusual framing: a ClientHello split over three records (and a
    change_cipher_spec between the hello and the Finished), then the Finished
    and application data in one TCP write: all accepted."""
    with Server(asan_server, idents["ecdsa"], bytes=5) as srv:
        c = S.Client.connect(srv.port)
        ch = _hello(c)
        c.transcript += ch
        c.send(b"".join(S.record(S.HS, ch[i: i + 70], 0x0301) for i in range(0, len(ch), 70)))
        c.handshake_to_finished()
        c.send(S.record(S.CCS, b"\x01"))
        assert c.wr
        fin = c.finished()
        wire = c.wr.seal(S.HS, fin)
        c.transcript += fin
        c.wr = S.Aead(c.suite, c.keys["c_ap"])
        c.send(wire + c.wr.seal(S.APPDATA, b"12") + c.wr.seal(S.APPDATA, b"345"))
        assert c.rd
        echoed = b""
        while len(echoed) < 5:
            r = c.read_record()
            assert r is not None
            t, body = c.rd.open(r)
            if t == S.APPDATA:
                echoed += body
        c.close()
        res = srv.result()
    assert echoed == b"12345" and res["status"] == "DONE", res
