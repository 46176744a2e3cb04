"""libFuzzer on the record layer and handshake parsers (server and client side)
and on the X.509 parser, with ASan + UBSan, for a bounded time each. Seeds are
real messages: a ClientHello, a ServerHello flight from OpenSSL's point of view
(built by the scripted peer), certificates made by `cryptography`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.hostc import build_program
from tests.tls import scripted as S
from tests.tls.tls_util import TLS_SRC, Identity, crypto_src, include

SECONDS = int(os.environ.get("APOGEE_TLS_FUZZ_SECONDS", "15"))


def anchor_der() -> bytes:
    """A fixed Ed25519 certificate for "localhost" (key from a constant, Ed25519
    signatures are deterministic: the same bytes every run, so the fuzzer's build
    is cached). Public test data, made here, not committed."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(t)
            .not_valid_after(t + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .sign(key, None))
    return cert.public_bytes(serialization.Encoding.DER)


def _build(target: int) -> Path:
    defines = [f"FUZZ_TARGET={target}"]
    inc = include()
    if target == 3:
        defines.append("TLS_FUZZ_UNSAFE_NULL_AEAD")
        d = Path(__file__).resolve().parents[2] / "build" / "tls-fuzz"
        d.mkdir(parents=True, exist_ok=True)
        text = ("static const unsigned char fuzz_anchor[] = {"
                + ", ".join(str(b) for b in anchor_der()) + "};\n")
        h = d / "fuzz_anchor.h"
        if not h.exists() or h.read_text() != text:
            h.write_text(text)
        inc = [*inc, str(d)]
    return build_program(f"tls_fuzz{target}", ["tests/tls/fuzz_tls.c", *TLS_SRC, *crypto_src()],
                         include=inc, defines=defines, sanitize="fuzz")


def _chunked(rec: bytes) -> bytes:
    """The harness reads a piece-size byte before each piece of up to 200 bytes."""
    out = b""
    for i in range(0, len(rec), 199):
        piece = rec[i: i + 199]
        out += bytes([len(piece) - 1]) + piece
    return out


def _seeds_server() -> list[bytes]:
    c = S.Client(sock=None)  # type: ignore[arg-type]
    ch = S.client_hello(shares={S.X25519: c.share(S.X25519)})
    ch2 = S.client_hello(shares={S.P256: c.share(S.P256)}, groups=[S.P256],
                         extra=[S.ext(0, S.vec(b"\0" + S.vec(b"localhost", 2), 2)),
                                S.ext(16, S.vec(S.vec(b"h2", 1), 2)),
                                S.ext(28, S.u16(1024))])
    return [_chunked(S.record(S.HS, ch)), _chunked(S.record(S.HS, ch2)),
            _chunked(S.record(S.HS, ch) + S.record(S.CCS, b"\x01")
                     + S.record(S.APPDATA, os.urandom(60)))]


def _seeds_client() -> list[bytes]:
    sh = (S.u16(0x0303) + os.urandom(32) + b"\0" + S.u16(0x1301) + b"\0"
          + S.vec(S.ext(43, S.u16(0x0304)) + S.ext(51, S.u16(0x1D) + S.vec(os.urandom(32), 2)),
                  2))
    hrr = (S.u16(0x0303) + bytes.fromhex(
        "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c") + b"\0"
        + S.u16(0x1302) + b"\0" + S.vec(S.ext(43, S.u16(0x0304)) + S.ext(51, S.u16(0x17)), 2))
    return [_chunked(S.record(S.HS, S.hs(2, sh)) + S.record(S.APPDATA, os.urandom(80))),
            _chunked(S.record(S.HS, S.hs(2, hrr)))]


def _seeds_client_flight() -> list[bytes]:
    """A ServerHello, then EncryptedExtensions .. Finished "sealed" by the null
    AEAD of the fuzzing build: inner plaintext, content type, 16 zero bytes."""
    sh = (S.u16(0x0303) + os.urandom(32) + b"\0" + S.u16(0x1301) + b"\0"
          + S.vec(S.ext(43, S.u16(0x0304)) + S.ext(51, S.u16(0x1D) + S.vec(b"\x09" + b"\0" * 31,
                                                                               2)), 2))
    out = []
    for der in (anchor_der(),):
        flight = (S.hs(8, S.vec(S.ext(0, b""), 2))
                  + S.hs(13, b"\0" + S.vec(S.ext(13, S.vec(S.u16(0x0403), 2)), 2))
                  + S.hs(11, b"\0" + S.vec(S.vec(der, 3) + S.u16(0), 3))
                  + S.hs(15, S.u16(0x0807) + S.vec(b"\x01" * 64, 2))
                  + S.hs(20, b"\0" * 32))
        out.append(_chunked(S.record(S.HS, S.hs(2, sh))
                            + S.record(S.APPDATA, flight + b"\x16" + b"\0" * 16)))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("target", [0, 1, 2, 3], ids=["server", "client", "x509", "client-flight"])
def test_fuzz(target: int, tmp_path: Path, idents: dict[str, Identity]) -> None:
    exe = _build(target)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if target == 0:
        seeds = _seeds_server()
    elif target == 1:
        seeds = _seeds_client()
    elif target == 3:
        seeds = _seeds_client_flight()
    else:
        seeds = [i.cert_der.read_bytes() for i in idents.values()]
    for i, s in enumerate(seeds):
        (corpus / f"seed{i}").write_bytes(s)
    p = subprocess.run(
        [str(exe), str(corpus), f"-max_total_time={SECONDS}", "-max_len=4096",
         "-rss_limit_mb=1024", f"-artifact_prefix={tmp_path}/", "-print_final_stats=1"],
        capture_output=True, text=True, timeout=SECONDS + 60)
    tail = p.stderr[-3000:]
    assert p.returncode == 0, tail
    assert "stat::number_of_executed_units" in p.stderr, tail
    runs = int(p.stderr.split("stat::number_of_executed_units:")[1].split()[0])
    assert runs > 1000, tail
