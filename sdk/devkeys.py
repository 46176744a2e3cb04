"""Device identities for apps that speak TLS: the app names its key and
certificate chain as PEM files, or asks for a development identity, and the build
turns them into C (sdk/keys.py) under build/<board>/<app>/gen/.

A development identity is a P-256 key and a self-signed certificate made with
the `cryptography` package the first time an app asks for one, kept in
build/devkeys/<app>/ and reused, so rebuilds give the same bytes. It names
localhost, 127.0.0.1 and the address the tests give the native board (10.0.0.2).
It is for the bench, never for flight: the build says so.
"""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

from sdk import keys
from sdk.errors import ROOT, SdkError, rel

DEV = "dev-p256"


def dev_dir(app: str) -> Path:
    return ROOT / "build" / "devkeys" / app


def ensure_dev_identity(app: str) -> tuple[Path, Path]:
    """The app's development key and certificate (PEM), made once."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    d = dev_dir(app)
    key_pem, cert_pem = d / "key.pem", d / "cert.pem"
    if key_pem.is_file() and cert_pem.is_file():
        return key_pem, cert_pem
    d.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"apogee {app} development")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("10.0.0.2"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    tmp_key, tmp_cert = key_pem.with_suffix(".tmp"), cert_pem.with_suffix(".tmp")
    tmp_key.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    tmp_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tmp_key.replace(key_pem)
    tmp_cert.replace(cert_pem)
    return key_pem, cert_pem


def identity_files(app_name: str, app_dir: Path, key: str, chain: str) -> tuple[Path, Path]:
    """The PEM key and chain an app names (paths beside app.py), or its dev pair."""
    if key == DEV:
        return ensure_dev_identity(app_name)
    k, c = app_dir / key, app_dir / chain
    for p, what in ((k, "device_key"), (c, "device_chain")):
        if not p.is_file():
            raise SdkError(f"{rel(app_dir / 'app.py')}: {what}: no such file {rel(p)}")
    return k, c


def identity_c(app_name: str, app_dir: Path, key: str, chain: str) -> dict[str, str]:
    """gen/ files for the app's identity: device_key.{c,h}, device_chain.{c,h}."""
    key_pem, chain_pem = identity_files(app_name, app_dir, key, chain)
    k = keys.p256_key_c("device_key", keys.load_p256_private_key(key_pem))
    c = keys.certificates_c("device_chain", keys.load_certificates(chain_pem), rel(chain_pem))
    return {"device_key.h": k.header, "device_key.c": k.source,
            "device_chain.h": c.header, "device_chain.c": c.source}


def notice(app: str, key: str) -> str | None:
    if key != DEV:
        return None
    return (f"{app} uses a development key and self-signed certificate "
            f"({rel(dev_dir(app))}): for the bench only, never for flight")
