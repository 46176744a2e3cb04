"""Our client's certificate checks, end to end: our client against our server
presenting chains made here with `cryptography`. Every refusal is asserted as the
alert our client sent AND the alert our server received."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.tls.test_client_interop import _free_port, _wait_port, run_client
from tests.tls.tls_util import CA, Server, build_client, make_ca, make_identity


@pytest.fixture(scope="module")
def client_exe() -> Path:
    """The client under ASan/UBSan here: refused chains must not make it read or
    write out of bounds (a sanitizer abort leaves no result line: the test fails)."""
    return build_client("asan")


ALERT = {"bad_certificate": 42, "certificate_expired": 45, "unknown_ca": 48,
         "decrypt_error": 51}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CA]:
    d = tmp_path_factory.mktemp("pki")
    out = {k: make_ca(d, k, f"Root {k}") for k in ("ecdsa", "ed25519", "rsa", "rsa-pss")}
    out["other"] = make_ca(d, "ecdsa", "Another Root")
    out["inter"] = make_ca(d, "ecdsa", "Intermediate", issuer=out["rsa"])
    out["root0"] = make_ca(d, "ecdsa", "Root pathlen 0", path_len=0)
    out["inter0"] = make_ca(d, "ecdsa", "Intermediate under pathlen 0", issuer=out["root0"])
    return out


def _run(server_exe: Path, client_exe: Path, tmp: Path, leaf_scheme: str, issuer: CA | None,
         anchor: Path | None = None, name: str = "localhost", cert_name: str = "localhost",
         cert2: Path | None = None, **kw: object) -> tuple[dict[str, str], dict[str, str]]:
    eku = kw.pop("eku", None)
    ident = make_identity(tmp, leaf_scheme, cert_name, issuer=issuer, eku=eku)  # type: ignore[arg-type]
    opts: dict[str, object] = {"mode": "hold"}
    if cert2:
        opts["cert2"] = cert2
    with Server(server_exe, ident, **opts) as srv:
        res = run_client(client_exe, srv.port, anchor or (issuer.cert_der if issuer else
                                                         ident.cert_der), name=name, **kw)
        sres = srv.result()
    return res, sres


@pytest.mark.parametrize(("leaf", "root"), [("ecdsa", "ecdsa"), ("ecdsa", "rsa"),
                                            ("ed25519", "rsa-pss"), ("ecdsa", "ed25519"),
                                            ("ed25519", "ecdsa")])
def test_chain_to_anchor(server_exe: Path, client_exe: Path, tmp_path: Path,
                         pki: dict[str, CA], leaf: str, root: str) -> None:
    """Certificates signed with ECDSA, Ed25519, RSA PKCS#1 v1.5 and RSA-PSS."""
    res, sres = _run(server_exe, client_exe, tmp_path, leaf, pki[root])
    assert res["status"] == "DONE", res
    assert sres["status"] == "DONE" and sres["sni"] == "localhost", sres


def test_intermediate(server_exe: Path, client_exe: Path, tmp_path: Path,
                      pki: dict[str, CA]) -> None:
    res, _ = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["inter"],
                  anchor=pki["rsa"].cert_der, cert2=pki["inter"].cert_der)
    assert res["status"] == "DONE", res
    # Without the intermediate in the chain, the path does not reach the root.
    res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["inter"],
                     anchor=pki["rsa"].cert_der)
    assert res["alert_sent"] == str(ALERT["unknown_ca"]) and sres["alert_rcvd"] == "48"


def test_path_length(server_exe: Path, client_exe: Path, tmp_path: Path,
                     pki: dict[str, CA]) -> None:
    """A root with pathLen 0 may not have an intermediate CA below it."""
    res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["inter0"],
                     anchor=pki["root0"].cert_der, cert2=pki["inter0"].cert_der)
    assert res["status"] == "FAIL" and res["alert_sent"] == "42", res
    assert sres["alert_rcvd"] == "42"


def test_unknown_ca(server_exe: Path, client_exe: Path, tmp_path: Path,
                    pki: dict[str, CA]) -> None:
    res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                     anchor=pki["other"].cert_der)
    assert res["alert_sent"] == "48" and sres["alert_rcvd"] == "48", (res, sres)


def test_wrong_name(server_exe: Path, client_exe: Path, tmp_path: Path,
                    pki: dict[str, CA]) -> None:
    res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                     name="localhost", cert_name="other.example")
    assert res["alert_sent"] == "42" and sres["alert_rcvd"] == "42", (res, sres)


def test_ip_address_san(server_exe: Path, client_exe: Path, tmp_path: Path,
                        pki: dict[str, CA]) -> None:
    res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                     name="127.0.0.1", cert_name="127.0.0.1")
    assert res["status"] == "DONE" and sres["sni"] == "", (res, sres)  # no SNI for an IP
    res, _ = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                  name="127.0.0.2", cert_name="127.0.0.1")
    assert res["alert_sent"] == "42"


def test_expired_and_not_yet_valid(server_exe: Path, client_exe: Path, tmp_path: Path,
                                   pki: dict[str, CA]) -> None:
    now = int(time.time())
    for t in (now + 90 * 86400, now - 3 * 86400):
        res, sres = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"], time=t)
        assert res["alert_sent"] == "45" and sres["alert_rcvd"] == "45", (t, res)


def test_extended_key_usage(server_exe: Path, client_exe: Path, tmp_path: Path,
                            pki: dict[str, CA]) -> None:
    res, _ = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                  eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    assert res["alert_sent"] == "42"
    res, _ = _run(server_exe, client_exe, tmp_path, "ecdsa", pki["ecdsa"],
                  eku=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH])
    assert res["status"] == "DONE"


def test_rsa_pss_certificate_verify(client_exe: Path, tmp_path: Path, pki: dict[str, CA],
                                    payload: Path) -> None:
    """An RSA server key: OpenSSL signs CertificateVerify with rsa_pss_rsae_sha256."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = pki["ecdsa"]
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .sign(ca.key, hashes.SHA256()))  # type: ignore[arg-type]
    (tmp_path / "rsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "rsa-key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    port = _free_port()
    srv = subprocess.Popen(
        ["openssl", "s_server", "-accept", str(port), "-tls1_3", "-cert",
         str(tmp_path / "rsa.pem"), "-key", str(tmp_path / "rsa-key.pem"), "-naccept", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, srv)
        res = run_client(client_exe, port, ca.cert_der, mode="swap")
        out, _ = srv.communicate(timeout=20)
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
    assert res["status"] == "DONE", res
    assert b"Signature Algorithms: " in out and b"RSA-PSS+SHA256" in out
