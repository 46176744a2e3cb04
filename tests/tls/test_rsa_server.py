"""Our server with an RSA-2048 certificate (issue 6): CertificateVerify signed with
RSA-PSS (rsa_pss_rsae_sha256/384, netstack/crypto/rsa_sign.h) against OpenSSL's
s_client, gnutls-cli, curl and Python's ssl, each checking the signature itself;
a server holding an ECDSA and an RSA identity picks by the client's
signature_algorithms (and signature_algorithms_cert); a client offering only
rsa_pkcs1_* gets handshake_failure. The scripted client checks the signature
bytes independently with the `cryptography` package."""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import struct
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.hostc import build_program
from tests.tls import scripted as S
from tests.tls.tls_util import (
    TLS_SRC,
    Identity,
    Server,
    build_server,
    crypto_src,
    include,
    make_identity,
)

KIB64 = 1 << 16
HANDSHAKE_FAILURE = 40


@pytest.fixture(scope="module")
def asan_server() -> Path:
    return build_server("asan")


@pytest.fixture(scope="module")
def big_tx_server() -> Path:
    """A build whose transmit buffer holds an RSA-4096 first flight (certificate
    about 1.3 KiB + a 512-byte CertificateVerify: over the 2 KiB default)."""
    return build_program(
        "tls_server_prog_tx4k",
        ["tests/tls/tls_server_prog.c", "tests/tls/tls_posix.c", *TLS_SRC, *crypto_src()],
        include=include(), defines=["APOGEE_TLS_RSA=1", "APOGEE_TLS_TX_BUF=4096"])


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _dual(exe: Path, idents: dict[str, Identity], first: str = "ecdsa", **opts: object) -> Server:
    """A server holding two identities: `first` as its own, the other as alt."""
    second = "rsa" if first != "rsa" else "ecdsa"
    return Server(exe, idents[first], altcert=idents[second].cert_der,
                  altkey=idents[second].key_raw, altscheme=second, **opts)


def _s_client(port: int, *extra: str, data: bytes = b"") -> str:
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3",
                        "-ign_eof", *extra], input=data, capture_output=True, timeout=60)
    return (p.stdout + p.stderr).decode(errors="replace")


def _seen_cert(text: str) -> x509.Certificate:
    """The server certificate s_client printed."""
    m = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
    assert m, text[-1500:]
    return x509.load_pem_x509_certificate(m.group(0).encode())


def _same_cert(seen: x509.Certificate, ident: Identity) -> bool:
    return seen.public_bytes(serialization.Encoding.DER) == ident.cert_der.read_bytes()


def test_rsa_openssl_s_client(server_exe: Path, idents: dict[str, Identity]) -> None:
    import os
    data = os.urandom(KIB64)
    with Server(server_exe, idents["rsa"], bytes=KIB64) as srv:
        p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{srv.port}",
                            "-tls1_3", "-ign_eof", "-brief", "-CAfile",
                            str(idents["rsa"].cert_pem), "-verify_return_error",
                            "-verify_hostname", "localhost"],
                           input=data, capture_output=True, timeout=60)
        res = srv.result()
    err = p.stderr.decode(errors="replace")
    assert p.stdout == data, err[-800:]
    # -brief's names for "Peer signature type" and "Peer signing digest".
    assert "Signature type: RSA-PSS" in err, err
    assert re.search(r"Hash used: SHA(256|384)", err), err
    assert "Verification: OK" in err, err
    assert res["status"] == "DONE" and res["sig"] in ("0x0804", "0x0805"), res
    assert res["sha256"] == _sha(data)


def test_rsa_gnutls_cli(server_exe: Path, idents: dict[str, Identity]) -> None:
    import os
    data = os.urandom(KIB64)
    with Server(server_exe, idents["rsa"], bytes=KIB64) as srv:
        p = subprocess.run(["gnutls-cli", "--x509cafile", str(idents["rsa"].cert_pem),
                            "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "-p", str(srv.port),
                            "localhost"], input=data, capture_output=True, timeout=60)
        res = srv.result()
    out = p.stdout
    text = out[: out.find(b"- Simple Client Mode")].decode(errors="replace")
    at = out.find(data[:64])
    assert at > 0 and out[at: at + len(data)] == data, p.stderr[-800:]
    assert re.search(r"Description: \(TLS1\.3[^)]*\)-\([^)]*\)-\(RSA-PSS-RSAE-SHA(256|384)\)",
                     text), text
    assert "Peer's certificate is trusted" in text or "certificate is trusted" in text, text
    assert res["status"] == "DONE" and res["sig"] in ("0x0804", "0x0805"), res
    assert res["sha256"] == _sha(data)


def test_rsa_curl(server_exe: Path, idents: dict[str, Identity], tmp_path: Path) -> None:
    import os
    data = os.urandom(KIB64)
    body = tmp_path / "body.bin"
    body.write_bytes(data)
    out = tmp_path / "out"
    with Server(server_exe, idents["rsa"], mode="http") as srv:
        p = subprocess.run(
            ["curl", "-sS", "-v", "--cacert", str(idents["rsa"].cert_pem), "--tlsv1.3",
             "--data-binary", f"@{body}", "-o", str(out), "-H", "Expect:",
             "-H", "Content-Type: application/octet-stream", f"https://localhost:{srv.port}/"],
            capture_output=True, timeout=60)
        res = srv.result()
    err = p.stderr.decode(errors="replace")
    assert p.returncode == 0, err[-800:]
    assert "SSL connection using TLSv1.3" in err, err
    assert "SSL certificate verify ok" in err, err
    # curl 7.88 (here) does not name the signature scheme; newer curl names it
    # on that line, and where it does it must be RSA-PSS.
    m = re.search(r"SSL connection using TLSv1\.3 / \S+ / \S+ / (\S+)", err)
    if m:
        assert m.group(1) in ("RSASSA-PSS", "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384"), err
    assert out.read_bytes() == data
    assert res["status"] == "DONE" and res["sig"] in ("0x0804", "0x0805"), res
    assert res["sha256"] == _sha(data)


def test_rsa_python_ssl(server_exe: Path, idents: dict[str, Identity]) -> None:
    """Python's ssl verifies the chain and the CertificateVerify (it cannot report
    the scheme; the server's line and the certificate seen say what was used)."""
    import os
    data = os.urandom(KIB64)
    ident = idents["rsa"]
    ctx = ssl.create_default_context(cafile=str(ident.cert_pem))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with Server(server_exe, ident, bytes=KIB64) as srv:
        raw = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            assert s.version() == "TLSv1.3"
            der = s.getpeercert(binary_form=True)
            got = bytearray()
            for off in range(0, len(data), 16384):
                s.sendall(data[off: off + 16384])
                while len(got) < min(off + 16384, len(data)):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
        res = srv.result()
    assert der is not None
    key = x509.load_der_x509_certificate(der).public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert bytes(got) == data
    assert res["status"] == "DONE" and res["sig"] in ("0x0804", "0x0805"), res
    assert res["sha256"] == _sha(data)


@pytest.mark.parametrize(("sigalgs", "want"), [
    ("rsa_pss_rsae_sha256", "rsa"),
    ("rsa_pss_rsae_sha384", "rsa"),
    ("ecdsa_secp256r1_sha256", "ecdsa"),
])
def test_dual_picks_by_signature_algorithms(server_exe: Path, idents: dict[str, Identity],
                                            sigalgs: str, want: str) -> None:
    with _dual(server_exe, idents, bytes=5) as srv:
        text = _s_client(srv.port, "-sigalgs", sigalgs, data=b"hello")
        res = srv.result()
    assert _same_cert(_seen_cert(text), idents[want]), text[-1500:]
    assert f"Peer signature type: {'RSA-PSS' if want == 'rsa' else 'ECDSA'}" in text, text
    assert res["status"] == "DONE" and res["ident"] == ("1" if want == "rsa" else "0"), res
    scheme = {"rsa_pss_rsae_sha256": "0x0804", "rsa_pss_rsae_sha384": "0x0805",
              "ecdsa_secp256r1_sha256": "0x0403"}[sigalgs]
    assert res["sig"] == scheme, res


@pytest.mark.parametrize("first", ["ecdsa", "rsa"])
def test_dual_prefers_config_order(server_exe: Path, idents: dict[str, Identity],
                                   first: str) -> None:
    """A client offering both keys' schemes, and both leaves' signature algorithms
    (the RSA leaf is signed rsa_pkcs1_sha256, fine inside a certificate), gets
    the identity the config lists first."""
    with _dual(server_exe, idents, first=first, bytes=5) as srv:
        text = _s_client(srv.port, "-sigalgs",
                         "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256",
                         data=b"hello")
        res = srv.result()
    assert _same_cert(_seen_cert(text), idents[first]), text[-1500:]
    assert res["status"] == "DONE" and res["ident"] == "0", res


@pytest.mark.parametrize("server", ["dual", "rsa"])
def test_pkcs1_only_client_gets_handshake_failure(server_exe: Path,
                                                  idents: dict[str, Identity],
                                                  server: str) -> None:
    """RFC 8446 4.2.3: rsa_pkcs1_* never signs a TLS 1.3 handshake, so a client
    offering only those shares no scheme with any of our keys."""
    srv = (_dual(server_exe, idents, bytes=5) if server == "dual"
           else Server(server_exe, idents["rsa"], bytes=5))
    with srv:
        text = _s_client(srv.port, "-sigalgs", "rsa_pkcs1_sha256:rsa_pkcs1_sha384",
                         data=b"hello")
        res = srv.result()
    assert "alert handshake failure" in text, text[-1500:]
    assert res["status"] == "FAIL" and res["alert_sent"] == str(HANDSHAKE_FAILURE), res


def _verify_cv(c: S.Client, msgs: list[bytes], key: rsa.RSAPublicKey) -> int:
    """Check the server's CertificateVerify (RFC 8446 4.4.3) with `cryptography`:
    RSASSA-PSS, MGF1 with the same hash, salt as long as the hash. Returns the
    scheme."""
    transcript = b""
    for m in msgs:
        if m[0] == 15:
            break
        transcript += m
    cv = next(m for m in msgs if m[0] == 15)
    scheme, n = struct.unpack("!HH", cv[4:8])
    sig = cv[8: 8 + n]
    assert n == key.key_size // 8 and len(cv) == 8 + n
    h = {0x0804: hashes.SHA256(), 0x0805: hashes.SHA384()}[scheme]
    th = hashlib.new(S._hash(c.suite), c.transcript[: c.transcript.find(msgs[0])]
                     + transcript).digest()
    content = b" " * 64 + b"TLS 1.3, server CertificateVerify\x00" + th
    key.verify(sig, content, padding.PSS(padding.MGF1(h), h.digest_size), h)
    return scheme


@pytest.mark.parametrize(("offer", "want"), [([0x0804], 0x0804), ([0x0805], 0x0805),
                                             ([0x0401, 0x0805, 0x0804], 0x0804)])
@pytest.mark.parametrize("suite", [S.AES128, S.AES256])
def test_scripted_pss_signature_verifies(asan_server: Path, idents: dict[str, Identity],
                                         offer: list[int], want: int, suite: int) -> None:
    """Against the ASan/UBSan server."""
    key = x509.load_der_x509_certificate(idents["rsa"].cert_der.read_bytes()).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    with Server(asan_server, idents["rsa"], bytes=0) as srv:
        c = S.Client.connect(srv.port)
        c.send_hello(S.client_hello(suites=[suite], sigalgs=offer,
                                    shares={S.X25519: c.share(S.X25519)}))
        msgs = c.handshake_to_finished()
        assert _verify_cv(c, msgs, key) == want
        c.complete()
        c.close()
        res = srv.result()
    assert res["status"] == "DONE" and res["sig"] == f"0x{want:04x}", res


@pytest.mark.parametrize(("cert_list", "want"), [(None, 0), ([0x0401], 1), ([0x0403], 0),
                                                 ([0x0805], 0)])
def test_signature_algorithms_cert_preference(server_exe: Path, idents: dict[str, Identity],
                                              cert_list: list[int] | None, want: int) -> None:
    """Both keys usable (signature_algorithms has ECDSA and RSA-PSS): the identity
    whose leaf signature the client lists in signature_algorithms_cert is chosen
    (our RSA leaf is signed rsa_pkcs1_sha256, the ECDSA one ecdsa_secp256r1_sha256);
    when neither chain matches, config order decides (RFC 8446 4.4.2.2)."""
    extra = ([S.ext(50, S.vec(b"".join(S.u16(s) for s in cert_list), 2))]
             if cert_list is not None else [])
    with _dual(server_exe, idents, bytes=0) as srv:
        c = S.Client.connect(srv.port)
        c.send_hello(S.client_hello(sigalgs=[0x0403, 0x0804], extra=extra,
                                    shares={S.X25519: c.share(S.X25519)}))
        c.handshake_to_finished()
        c.complete()
        c.close()
        res = srv.result()
    assert res["status"] == "DONE" and res["ident"] == str(want), res


def test_scripted_pkcs1_only_rsa_server(server_exe: Path, idents: dict[str, Identity]) -> None:
    with Server(server_exe, idents["rsa"], bytes=0) as srv:
        c = S.Client.connect(srv.port)
        c.send_hello(S.client_hello(sigalgs=[0x0401, 0x0501, 0x0601],
                                    shares={S.X25519: c.share(S.X25519)}))
        assert c.read_alert() == HANDSHAKE_FAILURE
        c.close()
        res = srv.result()
    assert res["status"] == "FAIL" and res["alert_sent"] == str(HANDSHAKE_FAILURE), res


@pytest.mark.parametrize("bits", [3072, 4096])
def test_rsa_key_sizes(big_tx_server: Path, tmp_path: Path, bits: int) -> None:
    ident = make_identity(tmp_path, "rsa", rsa_bits=bits)
    with Server(big_tx_server, ident, bytes=5) as srv:
        text = _s_client(srv.port, "-CAfile", str(ident.cert_pem), "-verify_return_error",
                         "-verify_hostname", "localhost", data=b"hello")
        res = srv.result()
    assert f"Server public key is {bits} bit" in text, text[-1500:]
    assert "Peer signature type: RSA-PSS" in text and "Verify return code: 0 (ok)" in text, text
    assert res["status"] == "DONE" and res["sig"] == "0x0804", res


def test_rsa_4096_over_default_tx_buf_refused(server_exe: Path, tmp_path: Path) -> None:
    """tls_server_init counts the modulus-sized CertificateVerify: an RSA-4096
    flight does not fit the default 2 KiB transmit buffer (APG_EMSGSIZE, -4)."""
    ident = make_identity(tmp_path, "rsa", rsa_bits=4096)
    with Server(server_exe, ident, bytes=5) as srv:
        socket.create_connection(("127.0.0.1", srv.port), timeout=10).close()
        res = srv.result()
    assert res == {"status": "FAIL", "init": "-4"}, res


@pytest.mark.parametrize("where", ["own", "alt"])
def test_uninitialised_rsa_context_refused(server_exe: Path, idents: dict[str, Identity],
                                           where: str) -> None:
    """tls_server_init refuses an RSA identity whose context was never set up
    with crypto_rsa_private_init (APG_EINVAL, -1), as its own key or as alt."""
    srv = (Server(server_exe, idents["rsa"], bytes=5, rsanoinit=1) if where == "own"
           else _dual(server_exe, idents, bytes=5, rsanoinit=1))
    with srv:
        socket.create_connection(("127.0.0.1", srv.port), timeout=10).close()
        res = srv.result()
    assert res == {"status": "FAIL", "init": "-1"}, res
