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


def key_kind(path: Path) -> str:
    """"rsa", "p256" or "ed25519": what the PEM private key is (one-line error else)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None,
                                                 unsafe_skip_rsa_key_validation=True)
    except Exception:  # the kind-specific loader below gives the precise message
        return "p256"
    if isinstance(key, rsa.RSAPrivateKey):
        return "rsa"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "p256"
    raise SdkError(f"{rel(path)}: a device key must be RSA (2048..4096 bits), P-256 or "
                   f"Ed25519, found {type(key).__name__}")


def identity_c(app_name: str, app_dir: Path, key: str, chain: str) -> dict[str, str]:
    """gen/ files for the app's identity: device_key.{c,h} (an RSA key as
    `device_key` for rsa_private.h, a P-256 key as device_key_priv, an Ed25519 key
    as device_key_sk) with DEVICE_KEY_<KIND> defined, and device_chain.{c,h}."""
    key_pem, chain_pem = identity_files(app_name, app_dir, key, chain)
    kind = key_kind(key_pem)
    if kind == "rsa":
        k = keys.rsa_key_c("device_key", keys.load_rsa_private_key(key_pem))
    elif kind == "ed25519":
        k = keys.ed25519_key_c("device_key", keys.load_ed25519_private_key(key_pem))
    else:
        k = keys.p256_key_c("device_key", keys.load_p256_private_key(key_pem))
    header = k.header.replace("#include <stdint.h>\n",
                              f"#include <stdint.h>\n#define DEVICE_KEY_{kind.upper()} 1\n", 1)
    c = keys.certificates_c("device_chain", keys.load_certificates(chain_pem), rel(chain_pem))
    return {"device_key.h": header, "device_key.c": k.source,
            "device_chain.h": c.header, "device_chain.c": c.source}


def anchors_c(app_dir: Path, anchors: str) -> dict[str, str]:
    """gen/ files for the trust anchors an app names (PEM, one or more certificates):
    trust_anchors.{c,h}, a tls_cert table for tls_config.anchors."""
    path = app_dir / anchors
    if not path.is_file():
        raise SdkError(f"{rel(app_dir / 'app.py')}: trust_anchors: no such file {rel(path)}")
    c = keys.certificates_c("trust_anchors", keys.load_certificates(path), rel(path))
    return {"trust_anchors.h": c.header, "trust_anchors.c": c.source}


def notice(app: str, key: str) -> str | None:
    if key != DEV:
        return None
    return (f"{app} uses a development key and self-signed certificate "
            f"({rel(dev_dir(app))}): for the bench only, never for flight")
