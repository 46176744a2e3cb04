"""An app's TLS identity and trust anchors, named as PEM files in app.py, reach
the image as C the build generates (sdk/devkeys.py on sdk/keys.py): an RSA key
as the struct rsa_private.h takes, refused below 2048 bits in one line."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.sdk.conftest import assert_one_line_error, scons

MAIN = r'''
#include "apogee/print.h"
#include "device_chain.h"
#include "device_key.h"
#include "trust_anchors.h"

int app_main(void)
{
#ifdef DEVICE_KEY_RSA
    apg_printf("rsa %u n %02x%02x%02x%02x\n", (unsigned)DEVICE_KEY_BITS, device_key_n[0],
               device_key_n[1], device_key_n[2], device_key_n[3]);
#endif
    apg_printf("chain %u %u anchors %u\n", (unsigned)DEVICE_CHAIN_COUNT,
               (unsigned)device_chain[0].len, (unsigned)TRUST_ANCHORS_COUNT);
    return 0;
}
'''


def identity(d: Path, bits: int) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")])
    t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(t)
            .not_valid_after(t + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    (d / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()))
    (d / "chain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "anchors.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM) * 2)
    return key, cert


def app(d: Path) -> Path:
    (d / "main.c").write_text(MAIN)
    (d / "app.py").write_text(
        'from sdk.model import App\n'
        'APP = App(name="ident", description="d", components=("tls",), '
        'device_key="key.pem", device_chain="chain.pem", trust_anchors="anchors.pem")\n')
    return d


def test_rsa_identity_and_anchors_reach_the_image(tmp_path: Path) -> None:
    key, cert = identity(tmp_path, 2048)
    proc = scons("board=native", f"app={app(tmp_path)}", "run", "timeout=20")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    n = key.private_numbers().public_numbers.n.to_bytes(256, "big")
    assert f"rsa 2048 n {n[:4].hex()}" in proc.stdout
    der = cert.public_bytes(serialization.Encoding.DER)
    assert f"chain 1 {len(der)} anchors 2" in proc.stdout


def test_a_short_rsa_key_is_refused_in_one_line(tmp_path: Path) -> None:
    identity(tmp_path, 1024)
    assert_one_line_error(scons("board=native", f"app={app(tmp_path)}"), "key.pem",
                          "RSA key of 1024 bits is too short")
