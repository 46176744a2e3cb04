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
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from tests.hostc import build_program

TLS_SRC = [f"netstack/tls/{n}.c" for n in (
    "tls_conn", "tls_keys", "tls_record", "tls_server", "tls_client", "tls_hs_common", "tls_x509",
    "tls_ticket")]
CRYPTO_NAMES = (
    "sha256", "sha512", "hmac", "hkdf", "aes", "gcm", "ghash", "chacha20", "poly1305",
    "chacha20poly1305", "x25519", "fe25519", "ge25519", "ge25519_base", "sc25519", "ed25519",
    "p256", "ecdh_p256", "p256_field", "p256_scalar", "p256_table", "p256_verify",
    "ecdsa_p256_sign", "ecdsa_p256_verify", "ecdsa_der", "ct", "bignum", "rsa", "rsa_verify",
    "rsa_private", "rsa_sign", "rsa_hash", "drbg")


def committed(sub: str) -> Path:
    """Another module's source folder (netstack/crypto, netstack/tcp) in this tree:
    the TLS tests build against the code beside them, as the firmware does."""
    return Path(__file__).resolve().parents[2] / sub


def crypto_dir() -> Path:
    return committed("netstack/crypto")


def crypto_src() -> list[str]:
    d = crypto_dir()
    return [str(d / f"{n}.c") for n in CRYPTO_NAMES]


def include() -> list[str]:
    return ["netstack/tls", str(crypto_dir()), "tests/tls"]



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
        ["tests/tls/tls_server_prog.c", "tests/tls/tls_posix.c", *TLS_SRC, *crypto_src()],
        include=include(), sanitize=sanitize, compiler="clang" if sanitize else None,
        defines=["APOGEE_TLS_RSA=1"])


def build_client(sanitize: str = "") -> Path:
    return build_program(
        f"tls_client_prog{'_' + sanitize if sanitize else ''}",
        ["tests/tls/tls_client_prog.c", "tests/tls/tls_posix.c", *TLS_SRC, *crypto_src()],
        include=include(), sanitize=sanitize, compiler="clang" if sanitize else None)


@dataclass
class Identity:
    """A development certificate and key, written where the C program reads them."""

    scheme: str
    cert_der: Path
    cert_pem: Path
    key_raw: Path
    key_pem: Path


PrivKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey


def _new_key(kind: str, rsa_bits: int = 2048) -> PrivKey:
    if kind == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)


def _sign_args(key: PrivKey, kind: str) -> dict[str, object]:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return {"algorithm": None}
    if kind == "rsa-pss":
        return {"algorithm": hashes.SHA256(),
                "rsa_padding": padding.PSS(padding.MGF1(hashes.SHA256()),
                                           padding.PSS.DIGEST_LENGTH)}
    return {"algorithm": hashes.SHA256()}


@dataclass
class CA:
    """A certificate authority made for a test."""

    kind: str
    key: PrivKey
    cert: x509.Certificate
    cert_der: Path


def make_ca(d: Path, kind: str, name: str = "Apogee Test CA",
            path_len: int | None = None, issuer: CA | None = None) -> CA:
    """A root (or an intermediate under issuer); kind ecdsa, ed25519, rsa (PKCS#1
    v1.5 signatures) or rsa-pss."""
    d.mkdir(parents=True, exist_ok=True)
    key = _new_key(kind)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    signer = issuer.key if issuer else key
    cert = (x509.CertificateBuilder().subject_name(subject)
            .issuer_name(issuer.cert.subject if issuer else subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(signer, **_sign_args(signer, issuer.kind if issuer else kind)))  # type: ignore[arg-type]
    out = d / f"ca-{kind}-{abs(hash(name)) % 10000}.der"
    out.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return CA(kind, key, cert, out)


def make_identity(d: Path, scheme: str, name: str = "localhost", issuer: CA | None = None,
                  days: tuple[int, int] = (-1, 30), eku: list[x509.ObjectIdentifier] | None = None,
                  tag: str = "", rsa_bits: int = 2048) -> Identity:
    """A leaf certificate and key (ecdsa, ed25519 or rsa: RSA of rsa_bits), self-signed
    or issued by issuer.
    name may be a DNS name or an IP address (put in the SAN accordingly)."""
    import ipaddress
    d.mkdir(parents=True, exist_ok=True)
    key = _new_key(scheme, rsa_bits)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        raw = key.private_numbers().private_value.to_bytes(32, "big")
    elif isinstance(key, rsa.RSAPrivateKey):
        raw = rsa_key_file(key)
    else:
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())  # type: ignore[union-attr]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    try:
        san: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        san = x509.DNSName(name)
    b = (x509.CertificateBuilder().subject_name(subject)
         .issuer_name(issuer.cert.subject if issuer else subject)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now + datetime.timedelta(days=days[0]))
         .not_valid_after(now + datetime.timedelta(days=days[1]))
         .add_extension(x509.SubjectAlternativeName([san]), critical=False))
    if issuer:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                          False, False), critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    signer = issuer.key if issuer else key
    cert = b.sign(signer, **_sign_args(signer, issuer.kind if issuer else scheme))  # type: ignore[arg-type]
    stem = f"{scheme}{tag}"
    ident = Identity(scheme, d / f"{stem}.der", d / f"{stem}.pem", d / f"{stem}.key",
                     d / f"{stem}-key.pem")
    ident.key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    ident.cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    ident.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ident.key_raw.write_bytes(raw)
    return ident


def rsa_key_file(key: rsa.RSAPrivateKey) -> bytes:
    """The test server's RSA key file: n, e, p, q, dP, dQ, qInv, each a 2-byte length
    and big-endian bytes (dP, dQ, qInv at their prime's length, as sdk/keys.py does)."""
    pn = key.private_numbers()
    pub = pn.public_numbers

    def be(v: int, n: int = 0) -> bytes:
        n = n or (v.bit_length() + 7) // 8
        return v.to_bytes(n, "big")

    plen, qlen = (pn.p.bit_length() + 7) // 8, (pn.q.bit_length() + 7) // 8
    parts = [be(pub.n), be(pub.e), be(pn.p), be(pn.q), be(pn.dmp1, plen), be(pn.dmq1, qlen),
             be(pn.iqmp, plen)]
    return b"".join(len(x).to_bytes(2, "big") + x for x in parts)


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
