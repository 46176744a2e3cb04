"""Shared helpers of the TLS tests: build the engine, make development keys, run
the loopback test server."""

from __future__ import annotations

import datetime
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from tests.hostc import build_program

TLS_SRC = ["netstack/tls/tls_conn.c", "netstack/tls/tls_keys.c", "netstack/tls/tls_record.c",
           "netstack/tls/tls_server.c"]
CRYPTO_SRC = [f"netstack/crypto/{n}.c" for n in (
    "sha256", "sha512", "hmac", "hkdf", "aes", "gcm", "ghash", "chacha20", "poly1305",
    "chacha20poly1305", "x25519", "fe25519", "ge25519", "ge25519_base", "sc25519", "ed25519",
    "p256", "ecdh_p256", "p256_field", "p256_scalar", "p256_table", "p256_verify",
    "ecdsa_p256_sign", "ecdsa_p256_verify", "ecdsa_der", "ct", "bignum", "rsa", "rsa_verify",
    "drbg")]
INCLUDE = ["netstack/tls", "netstack/crypto", "tests/tls"]

SUITES = {  # name -> (mask for our server, id)
    "TLS_AES_128_GCM_SHA256": (0x01, 0x1301),
    "TLS_AES_256_GCM_SHA384": (0x02, 0x1302),
    "TLS_CHACHA20_POLY1305_SHA256": (0x04, 0x1303),
}
GROUPS = {  # name -> (mask, id)
    "X25519": (0x01, 0x001D),
    "P-256": (0x02, 0x0017),
}


def build_server(sanitize: str = "") -> Path:
    return build_program(
        f"tls_server_prog{'_' + sanitize if sanitize else ''}",
        ["tests/tls/tls_server_prog.c", "tests/tls/tls_posix.c", *TLS_SRC, *CRYPTO_SRC],
        include=INCLUDE, sanitize=sanitize, compiler="clang" if sanitize else None)


@dataclass
class Identity:
    """A development certificate and key, written where the C program reads them."""

    scheme: str
    cert_der: Path
    cert_pem: Path
    key_raw: Path


def make_identity(d: Path, scheme: str, name: str = "localhost") -> Identity:
    d.mkdir(parents=True, exist_ok=True)
    key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    if scheme == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
        raw = key.private_numbers().private_value.to_bytes(32, "big")
        algo: hashes.HashAlgorithm | None = hashes.SHA256()
    else:
        key = ed25519.Ed25519PrivateKey.generate()
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        algo = None
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, algo))
    ident = Identity(scheme, d / f"{scheme}.der", d / f"{scheme}.pem", d / f"{scheme}.key")
    ident.cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    ident.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ident.key_raw.write_bytes(raw)
    return ident


class Server:
    """The C test server on an ephemeral loopback port."""

    def __init__(self, exe: Path, ident: Identity, **opts: object) -> None:
        args = [str(exe), f"cert={ident.cert_der}", f"key={ident.key_raw}",
                f"scheme={ident.scheme}", *[f"{k}={v}" for k, v in opts.items()]]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.match(r"PORT (\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(m.group(1))
        self.size = int(self.proc.stdout.readline().split()[1])

    def result(self, timeout: float = 30.0) -> dict[str, str]:
        """The next connection's result line as a dict (plus 'status')."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            raise AssertionError(f"server gave no result (rc={self.proc.poll()}): {err}")
        assert time.monotonic() < deadline + 1
        status, *fields = line.split()
        out = {"status": status}
        out.update(dict(f.split("=", 1) for f in fields))
        return out

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
