"""sdk/keys.py: PEM keys and certificates into C. Each accepted format round-trips
(the arrays hold exactly the key's numbers, and the generated C, compiled with
the crypto code, signs so that `cryptography` verifies), and each refusal is one
SdkError line naming the file and what was wrong."""

from __future__ import annotations

import datetime
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.x509.oid import NameOID

from sdk import keys
from sdk.errors import SdkError
from tests.hostc import ROOT, build_program

PEM = serialization.Encoding.PEM
PKCS1 = serialization.PrivateFormat.TraditionalOpenSSL
PKCS8 = serialization.PrivateFormat.PKCS8
PLAIN = serialization.NoEncryption()


def write_key(path: Path, key: object, fmt: serialization.PrivateFormat = PKCS8,
              enc: serialization.KeySerializationEncryption = PLAIN) -> Path:
    path.write_bytes(key.private_bytes(PEM, fmt, enc))  # type: ignore[attr-defined]
    return path


def c_arrays(source: str) -> dict[str, bytes]:
    """Parse the generated C's `const uint8_t name[len] = {...};` back to bytes."""
    out = {}
    for m in re.finditer(r"const uint8_t (\w+)\[(\d+)\] = \{([^}]*)\};", source):
        data = bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})", m.group(3)))
        assert len(data) == int(m.group(2))
        out[m.group(1)] = data
    return out


@pytest.fixture(scope="module")
def rsa2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


@pytest.mark.parametrize("bits,fmt", [(2048, PKCS1), (2048, PKCS8), (3072, PKCS8),
                                      (4096, PKCS1)])
def test_rsa_round_trip(tmp_path: Path, rsa2048: rsa.RSAPrivateKey, bits: int,
                        fmt: serialization.PrivateFormat) -> None:
    key = rsa2048 if bits == 2048 else rsa.generate_private_key(65537, bits)
    path = write_key(tmp_path / "server.pem", key, fmt)
    text = path.read_text()
    assert ("BEGIN RSA PRIVATE KEY" in text) == (fmt is PKCS1)
    loaded = keys.load_rsa_private_key(path)
    c = keys.rsa_key_c("server_key", loaded)
    arrays = c_arrays(c.source)
    nums = key.private_numbers()
    want = {"n": nums.public_numbers.n, "e": nums.public_numbers.e, "d": nums.d, "p": nums.p,
            "q": nums.q, "dp": nums.dmp1, "dq": nums.dmq1, "qinv": nums.iqmp}
    for field, value in want.items():
        assert int.from_bytes(arrays[f"server_key_{field}"], "big") == value, field
    assert len(arrays["server_key_n"]) == bits // 8
    assert len(arrays["server_key_dp"]) == len(arrays["server_key_p"])
    assert len(arrays["server_key_qinv"]) == len(arrays["server_key_p"])
    assert "const struct crypto_rsa_private_key server_key = {" in c.source
    assert f"#define SERVER_KEY_BITS {bits}u" in c.header


MAIN = r"""
#include <stdio.h>
#include <string.h>
#include "rsa_sign.h"
#include "server_key.h"

static int rng(void *arg, uint8_t *out, size_t len)
{
    (void)arg;
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(out, 1, len, f) : 0;
    if (f) fclose(f);
    return got == len ? 0 : -16;
}

static struct crypto_rsa_private_ctx ctx;

int main(int argc, char **argv)
{
    uint8_t digest[32], sig[512];
    size_t sig_len = 0;
    if (argc != 2 || strlen(argv[1]) != 64) return 2;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(argv[1] + 2 * i, "%2x", &v);
        digest[i] = (uint8_t)v;
    }
    int rc = crypto_rsa_private_init(&ctx, &server_key, rng, NULL);
    if (rc == 0) rc = crypto_rsa_pss_sign(&ctx, CRYPTO_RSA_SHA256, digest, 32, sig,
                                          sizeof(sig), &sig_len);
    if (rc != 0) { printf("rc=%d\n", rc); return 1; }
    for (size_t i = 0; i < sig_len; i++) printf("%02x", sig[i]);
    printf("\n");
    return 0;
}
"""


def test_generated_rsa_c_compiles_and_signs(tmp_path: Path, rsa2048: rsa.RSAPrivateKey) -> None:
    """The generated arrays and struct are what rsa_sign.h takes: built with
    the warning policy, they sign, and `cryptography` verifies the signature."""
    loaded = keys.load_rsa_private_key(write_key(tmp_path / "k.pem", rsa2048, PKCS1))
    gen = ROOT / "build" / "host" / "keys-gen" / hashlib.sha256(
        keys.rsa_key_c("server_key", loaded).source.encode()).hexdigest()[:12]
    _, src = keys.write_c(gen, "server_key", keys.rsa_key_c("server_key", loaded))
    (gen / "main.c").write_text(MAIN)
    crypto = "netstack/crypto"
    exe = build_program("keys-rsa", [*(f"{crypto}/{n}.c" for n in (
        "bignum", "rsa_private", "rsa_sign", "rsa_hash", "ct", "sha256", "sha512", "hmac", "drbg")),
        src, gen / "main.c"], include=[crypto, gen])
    digest = hashlib.sha256(b"from the generated key").digest()
    proc = subprocess.run([str(exe), digest.hex()], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sig = bytes.fromhex(proc.stdout.strip())
    rsa2048.public_key().verify(sig, digest, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                                utils.Prehashed(hashes.SHA256()))


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.TraditionalOpenSSL, PKCS8])
def test_p256_round_trip(tmp_path: Path, fmt: serialization.PrivateFormat) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    path = write_key(tmp_path / "ec.pem", key, fmt)
    loaded = keys.load_p256_private_key(path)
    arrays = c_arrays(keys.p256_key_c("ec_key", loaded).source)
    assert int.from_bytes(arrays["ec_key_priv"], "big") == key.private_numbers().private_value
    pub = key.public_key().public_numbers()
    assert arrays["ec_key_public"] == b"\x04" + pub.x.to_bytes(32, "big") + pub.y.to_bytes(32,
                                                                                            "big")


def test_ed25519_round_trip(tmp_path: Path) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    loaded = keys.load_ed25519_private_key(write_key(tmp_path / "ed.pem", key))
    arrays = c_arrays(keys.ed25519_key_c("ed_key", loaded).source)
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, PLAIN)
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    assert arrays["ed_key_seed"] == seed
    assert arrays["ed_key_public"] == public
    assert arrays["ed_key_sk"] == seed + public


def _cert(subject: str, issuer_key: ec.EllipticCurvePrivateKey, issuer: str,
          key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
            .sign(issuer_key, hashes.SHA256()))


def test_certificate_chain_round_trip(tmp_path: Path) -> None:
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    ca = _cert("Apogee test CA", ca_key, "Apogee test CA", ca_key)
    leaf = _cert("device.local", ca_key, "Apogee test CA", leaf_key)
    path = tmp_path / "chain.pem"
    path.write_bytes(leaf.public_bytes(PEM) + b"some comment\n" + ca.public_bytes(PEM))
    ders = keys.load_certificates(path)
    der = serialization.Encoding.DER
    assert ders == [leaf.public_bytes(der), ca.public_bytes(der)]
    c = keys.certificates_c("server_chain", ders, str(path))
    arrays = c_arrays(c.source)
    assert arrays["server_chain_der_0"] == ders[0] and arrays["server_chain_der_1"] == ders[1]
    assert "const tls_cert server_chain[2] = {" in c.source
    assert "#define SERVER_CHAIN_COUNT 2u" in c.header


def _one_line_error(fn: object, path: Path) -> str:
    with pytest.raises(SdkError) as info:
        fn(path)  # type: ignore[operator]
    msg = str(info.value)
    assert "\n" not in msg and path.name in msg, msg
    assert "Traceback" not in msg
    return msg


def test_refuses_1024_bit_rsa(tmp_path: Path) -> None:
    path = write_key(tmp_path / "small.pem", rsa.generate_private_key(65537, 1024), PKCS1)
    msg = _one_line_error(keys.load_rsa_private_key, path)
    assert "1024 bits" in msg and "too short" in msg and "2048" in msg


def test_refuses_8192_bit_rsa(tmp_path: Path, rsa2048: rsa.RSAPrivateKey) -> None:
    """An 8192-bit key takes seconds to generate; the refusal looks at the size
    before anything else, so a consistent key with composite 'primes' (products
    of real primes) stands in for one."""
    a, b = rsa2048.private_numbers(), rsa.generate_private_key(65537, 2048).private_numbers()
    c, d = (rsa.generate_private_key(65537, 4096).private_numbers() for _ in range(2))
    p, q = a.p * b.p * c.p, a.q * b.q * d.p  # 4096 bits each, give or take one
    n, e = p * q, 65537
    phi = (p - 1) * (q - 1)
    dd = pow(e, -1, phi)
    big = rsa.RSAPrivateNumbers(p, q, dd, dd % (p - 1), dd % (q - 1), pow(q, -1, p),
                                rsa.RSAPublicNumbers(e, n)).private_key(
        unsafe_skip_rsa_key_validation=True)
    assert 8190 <= big.key_size <= 8192
    path = write_key(tmp_path / "huge.pem", big)
    msg = _one_line_error(keys.load_rsa_private_key, path)
    assert f"{big.key_size} bits" in msg and "too long" in msg and "4096" in msg


@pytest.mark.parametrize("fmt", [PKCS1, PKCS8])
def test_refuses_encrypted_key(tmp_path: Path, rsa2048: rsa.RSAPrivateKey,
                               fmt: serialization.PrivateFormat) -> None:
    path = write_key(tmp_path / "locked.pem", rsa2048, fmt,
                     serialization.BestAvailableEncryption(b"secret"))
    msg = _one_line_error(keys.load_rsa_private_key, path)
    assert "encrypted with a password" in msg


def test_refuses_ec_key_where_rsa_asked(tmp_path: Path) -> None:
    path = write_key(tmp_path / "ec.pem", ec.generate_private_key(ec.SECP384R1()))
    msg = _one_line_error(keys.load_rsa_private_key, path)
    assert "expected an RSA private key" in msg and "secp384r1" in msg


def test_refuses_wrong_types_for_p256_and_ed25519(tmp_path: Path,
                                                  rsa2048: rsa.RSAPrivateKey) -> None:
    rsa_path = write_key(tmp_path / "rsa.pem", rsa2048)
    assert "found an RSA private key (2048 bits)" in _one_line_error(
        keys.load_p256_private_key, rsa_path)
    p384 = write_key(tmp_path / "p384.pem", ec.generate_private_key(ec.SECP384R1()))
    assert "secp384r1" in _one_line_error(keys.load_p256_private_key, p384)
    ed = write_key(tmp_path / "ed.pem", ed25519.Ed25519PrivateKey.generate())
    assert "found an Ed25519" in _one_line_error(keys.load_rsa_private_key, ed)
    assert "expected an Ed25519" in _one_line_error(keys.load_ed25519_private_key, rsa_path)


@pytest.mark.parametrize("content", [
    b"hello, this is not a key\n",
    b"-----BEGIN RSA PRIVATE KEY-----\nAAAA!!notbase64\n-----END RSA PRIVATE KEY-----\n",
    b"-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEA\n"
    b"-----END PRIVATE KEY-----\n",
    bytes(range(256)),
])
def test_refuses_garbage(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.pem"
    path.write_bytes(content)
    msg = _one_line_error(keys.load_rsa_private_key, path)
    assert "PEM" in msg


def test_refuses_certificate_as_key_and_key_as_certificate(
    tmp_path: Path, rsa2048: rsa.RSAPrivateKey,
) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    cert_path = tmp_path / "cert.pem"
    cert_path.write_bytes(_cert("x", ca_key, "x", ca_key).public_bytes(PEM))
    assert "found a 'CERTIFICATE' block" in _one_line_error(keys.load_rsa_private_key,
                                                           cert_path)
    key_path = write_key(tmp_path / "key.pem", rsa2048)
    assert "found a private key" in _one_line_error(keys.load_certificates, key_path)
    bad = tmp_path / "badcert.pem"
    bad.write_bytes(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    assert "not a valid PEM certificate" in _one_line_error(keys.load_certificates, bad)


def test_refuses_missing_file_and_inconsistent_key(tmp_path: Path,
                                                   rsa2048: rsa.RSAPrivateKey) -> None:
    assert "cannot read" in _one_line_error(keys.load_rsa_private_key, tmp_path / "none.pem")
    nums = rsa2048.private_numbers()
    broken = rsa.RSAPrivateNumbers(nums.p, nums.q, nums.d, nums.dmp1 ^ 2, nums.dmq1, nums.iqmp,
                                   nums.public_numbers).private_key(
        unsafe_skip_rsa_key_validation=True)
    path = write_key(tmp_path / "broken.pem", broken, PKCS1)
    assert "dP != d mod (p - 1)" in _one_line_error(keys.load_rsa_private_key, path)


def test_refuses_bad_c_name(rsa2048: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    loaded = keys.load_rsa_private_key(write_key(tmp_path / "k.pem", rsa2048))
    with pytest.raises(SdkError, match="C identifier"):
        keys.rsa_key_c("server-key", loaded)


def test_command_line(tmp_path: Path, rsa2048: rsa.RSAPrivateKey) -> None:
    """`python -m sdk.keys`: files written on success; a refusal is one line on
    stderr with exit status 2, no traceback."""
    import sys

    good = write_key(tmp_path / "server.pem", rsa2048, PKCS1)
    proc = subprocess.run([sys.executable, "-m", "sdk.keys", "rsa", str(good), "server_key",
                           str(tmp_path / "gen")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "const struct crypto_rsa_private_key server_key" in (
        tmp_path / "gen" / "server_key.c").read_text()
    small = write_key(tmp_path / "small.pem", rsa.generate_private_key(65537, 1024))
    proc = subprocess.run([sys.executable, "-m", "sdk.keys", "rsa", str(small), "k",
                           str(tmp_path / "gen")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "small.pem: RSA key of 1024 bits is too short" in proc.stderr
