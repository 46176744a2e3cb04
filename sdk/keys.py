"""Device keys and certificates: PEM files in, C source out.

An application names its TLS key and certificate chain (and trust anchors) as
PEM files; this module reads them with the `cryptography` package (no ASN.1 is
parsed here) and emits C that defines them as const arrays, in the layout the
crypto API takes:

- RSA private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"),
  2048..4096 bits: big-endian arrays <name>_n, _e, _d, _p, _q, _dp, _dq,
  _qinv and a `const struct crypto_rsa_private_key <name>` (rsa_private.h)
  pointing at them. dP, dQ and qInv are padded to their prime's length, d to
  the modulus length, so the lengths the C sees say nothing about the values.
- P-256 private key (SEC1 "EC PRIVATE KEY" or PKCS#8): <name>_priv[32] (the
  scalar, big-endian: what ecdsa_p256.h and tls_config.key take) and
  <name>_public[65] (04 || x || y).
- Ed25519 private key (PKCS#8): <name>_seed[32], <name>_public[32] and
  <name>_sk[64] = seed || public (ed25519.h's signing key, tls_config.key).
- X.509 certificates (one or more "CERTIFICATE" blocks: a chain leaf first, or
  trust anchors): <name>_der_<i>[] with each certificate's DER and
  `const tls_cert <name>[]` ({der, len}) with <name>_count.

Every mistake in a key file is one SdkError line naming the file: unreadable,
not PEM, encrypted with a password, the wrong key type, an RSA key outside
2048..4096 bits, inconsistent RSA numbers. Never a traceback.

    key = load_rsa_private_key("keys/server.pem")
    c = rsa_key_c("server_key", key)      # CSource(header=..., source=...)
    write_c("build/keys", "server_key", c)

or from the shell: python -m sdk.keys rsa keys/server.pem server_key build/keys
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from math import gcd
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x448, x25519
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from sdk.errors import SdkError, rel

RSA_MIN_BITS = 2048  # crypto/rsa.h CRYPTO_RSA_MIN_BITS
RSA_MAX_BITS = 4096  # crypto/bignum.h APOGEE_BN_MAX_BITS (the default)
TLS_CERT_MAX = 65535  # tls_cert.len is a uint16_t


@dataclass(frozen=True)
class RsaPrivateKey:
    """An RSA private key's numbers, checked consistent, 2048..4096 bits."""

    n: int
    e: int
    d: int
    p: int
    q: int
    dp: int
    dq: int
    qinv: int
    source: str

    @property
    def bits(self) -> int:
        return self.n.bit_length()

    def arrays(self) -> dict[str, bytes]:
        """The C arrays' contents: big-endian, CRT values padded to their prime."""
        k = (self.bits + 7) // 8
        plen, qlen = _nbytes(self.p), _nbytes(self.q)
        return {"n": _be(self.n, k), "e": _be(self.e, _nbytes(self.e)), "d": _be(self.d, k),
                "p": _be(self.p, plen), "q": _be(self.q, qlen), "dp": _be(self.dp, plen),
                "dq": _be(self.dq, qlen), "qinv": _be(self.qinv, plen)}


@dataclass(frozen=True)
class P256PrivateKey:
    priv: bytes  # 32-byte big-endian scalar
    public: bytes  # 65-byte uncompressed point
    source: str


@dataclass(frozen=True)
class Ed25519PrivateKey:
    seed: bytes  # 32 bytes, the RFC 8032 private key
    public: bytes  # 32 bytes
    source: str


@dataclass(frozen=True)
class CSource:
    """A generated header (declarations) and source (definitions)."""

    header: str
    source: str


def _nbytes(x: int) -> int:
    return max(1, (x.bit_length() + 7) // 8)


def _limbs(x: int) -> int:
    """32-bit limbs of x as the C loads it (from its big-endian byte length)."""
    return (_nbytes(x) + 3) // 4


def _be(x: int, length: int) -> bytes:
    return x.to_bytes(length, "big")


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SdkError(f"{rel(path)}: cannot read the file: {exc.strerror}") from None


def _reason(exc: Exception) -> str:
    """cryptography's error text, without its boilerplate (FAQ links, the list of
    everything that might be wrong), on one line."""
    text = " ".join(str(exc).split())
    if "Details:" in text:
        text = text.split("Details:", 1)[1].strip()
    text = re.sub(r"Unable to load PEM file\. See \S+ for more details\.\s*", "", text)
    return text or "cannot be decoded"


def _describe(key: object) -> str:
    """The key type in the user's words, for 'expected X, found Y'."""
    if isinstance(key, rsa.RSAPrivateKey):
        return f"an RSA private key ({key.key_size} bits)"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"an EC private key on {key.curve.name}"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "an Ed25519 private key"
    if isinstance(key, ed448.Ed448PrivateKey):
        return "an Ed448 private key"
    if isinstance(key, x25519.X25519PrivateKey | x448.X448PrivateKey):
        return "a key-exchange (X25519/X448) private key"
    if isinstance(key, dsa.DSAPrivateKey):
        return f"a DSA private key ({key.key_size} bits)"
    return f"a {type(key).__name__}"


def _load_private(path: str | Path, want: str) -> PrivateKeyTypes:
    data = _read(path)
    where = rel(path)
    if b"-----BEGIN" not in data:
        raise SdkError(f"{where}: not a PEM file (no '-----BEGIN ...-----' line); "
                       f"expected {want} in PEM")
    if b"ENCRYPTED" in data:
        raise SdkError(f"{where}: the private key is encrypted with a password; the SDK needs "
                       "it unencrypted (openssl pkey -in <file> -out <plain.pem>), kept out of "
                       "version control")
    if b"PRIVATE KEY-----" not in data:
        found = data.split(b"-----BEGIN ", 1)[1].split(b"-----", 1)[0].decode(errors="replace")
        raise SdkError(f"{where}: expected {want} in PEM, found a '{found}' block")
    try:
        # Validation of the RSA numbers is ours (below), after the size check:
        # OpenSSL's includes primality tests, slow on large keys.
        return serialization.load_pem_private_key(data, password=None,
                                                  unsafe_skip_rsa_key_validation=True)
    except TypeError:
        raise SdkError(f"{where}: the private key is encrypted with a password; the SDK needs "
                       "it unencrypted") from None
    except UnsupportedAlgorithm as exc:
        raise SdkError(f"{where}: unsupported private key type ({exc}); expected {want}") \
            from None
    except ValueError as exc:
        raise SdkError(f"{where}: not a valid PEM private key ({_reason(exc)}); expected "
                       f"{want}") from None


def load_rsa_private_key(path: str | Path) -> RsaPrivateKey:
    """Read a PKCS#1 or PKCS#8 PEM RSA private key of 2048..4096 bits."""
    where = rel(path)
    key = _load_private(path, "an RSA private key")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SdkError(f"{where}: expected an RSA private key, found {_describe(key)}")
    bits = key.key_size
    if bits < RSA_MIN_BITS:
        raise SdkError(f"{where}: RSA key of {bits} bits is too short: at least "
                       f"{RSA_MIN_BITS} bits are needed")
    if bits > RSA_MAX_BITS:
        raise SdkError(f"{where}: RSA key of {bits} bits is too long: at most "
                       f"{RSA_MAX_BITS} bits are supported")
    nums = key.private_numbers()
    pub = nums.public_numbers
    out = RsaPrivateKey(n=pub.n, e=pub.e, d=nums.d, p=nums.p, q=nums.q, dp=nums.dmp1,
                        dq=nums.dmq1, qinv=nums.iqmp, source=where)
    _check_rsa(out)
    return out


def _check_rsa(k: RsaPrivateKey) -> None:
    """The relations the C relies on; a failure names the first one broken."""
    where = k.source
    checks = [
        (k.p * k.q == k.n, "p * q != n"),
        (k.e % 2 == 1 and 3 <= k.e < k.n, "e is not an odd number in [3, n)"),
        (k.p % 2 == 1 and k.q % 2 == 1 and k.p > 2 and k.q > 2, "p or q is even"),
        (max(_limbs(k.p), _limbs(k.q)) <= RSA_MAX_BITS // 64
         and _limbs(k.p) + _limbs(k.q) >= _limbs(k.n),
         "the primes are too unequal in length for the device code (rsa_private.h)"),
        (gcd(k.e, (k.p - 1) * (k.q - 1)) == 1 and k.d * k.e % ((k.p - 1) * (k.q - 1)
                                                               // gcd(k.p - 1, k.q - 1)) == 1,
         "e * d != 1 mod lcm(p - 1, q - 1)"),
        (k.dp == k.d % (k.p - 1), "dP != d mod (p - 1)"),
        (k.dq == k.d % (k.q - 1), "dQ != d mod (q - 1)"),
        (k.qinv < k.p and k.qinv * k.q % k.p == 1, "qInv is not q^-1 mod p"),
    ]
    for ok, what in checks:
        if not ok:
            raise SdkError(f"{where}: inconsistent RSA private key: {what}")


def load_p256_private_key(path: str | Path) -> P256PrivateKey:
    """Read a SEC1 or PKCS#8 PEM private key on P-256 (secp256r1)."""
    where = rel(path)
    key = _load_private(path, "a P-256 (secp256r1) private key")
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve,
                                                                          ec.SECP256R1):
        raise SdkError(f"{where}: expected a P-256 (secp256r1) private key, found "
                       f"{_describe(key)}")
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return P256PrivateKey(priv=_be(key.private_numbers().private_value, 32), public=public,
                          source=where)


def load_ed25519_private_key(path: str | Path) -> Ed25519PrivateKey:
    """Read a PKCS#8 PEM Ed25519 private key."""
    where = rel(path)
    key = _load_private(path, "an Ed25519 private key")
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise SdkError(f"{where}: expected an Ed25519 private key, found {_describe(key)}")
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    return Ed25519PrivateKey(seed=seed, public=public, source=where)


def load_certificates(path: str | Path) -> list[bytes]:
    """Read one or more PEM certificates (a chain, leaf first, or trust
    anchors); returns each one's DER, in file order."""
    data = _read(path)
    where = rel(path)
    if b"-----BEGIN CERTIFICATE-----" not in data:
        if b"PRIVATE KEY-----" in data:
            raise SdkError(f"{where}: expected PEM certificates, found a private key")
        raise SdkError(f"{where}: no '-----BEGIN CERTIFICATE-----' block: expected one or more "
                       "PEM certificates")
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise SdkError(f"{where}: not a valid PEM certificate ({_reason(exc)})") from None
    ders = [c.public_bytes(serialization.Encoding.DER) for c in certs]
    for i, der in enumerate(ders):
        if len(der) > TLS_CERT_MAX:
            raise SdkError(f"{where}: certificate {i} is {len(der)} bytes; at most "
                           f"{TLS_CERT_MAX} fit a TLS certificate entry")
    return ders


# ---- C emission ----

def _ident(name: str) -> str:
    if not name.isidentifier() or not name.isascii():
        raise SdkError(f"key name {name!r}: expected a C identifier (letters, digits, _)")
    return name


def _array(name: str, data: bytes, *, static: bool = False) -> str:
    lines = []
    for i in range(0, len(data), 12):
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 12]) + ",")
    storage = "static const" if static else "const"
    return f"{storage} uint8_t {name}[{len(data)}] = {{\n" + "\n".join(lines) + "\n};\n"


def _banner(what: str, source: str) -> str:
    return (f"/* Generated by sdk/keys.py from {source}: {what}. Do not edit; it holds a\n"
            " * private key only if the name says so - keep generated files out of git. */\n")


def rsa_key_c(name: str, key: RsaPrivateKey) -> CSource:
    """C for an RSA private key: the arrays and a struct crypto_rsa_private_key."""
    name = _ident(name)
    arrays = key.arrays()
    banner = _banner(f"RSA-{key.bits} private key", key.source)
    guard = f"APOGEE_KEY_{name.upper()}_H"
    header = (banner + f"#ifndef {guard}\n#define {guard}\n#include <stdint.h>\n"
              '#include "rsa_private.h"\n\n'
              + "".join(f"extern const uint8_t {name}_{f}[{len(v)}];\n" for f, v in arrays.items())
              + f"extern const struct crypto_rsa_private_key {name};\n#define "
              f"{name.upper()}_BITS {key.bits}u\n\n#endif\n")
    fields = ", ".join(f"{name}_{f}, sizeof({name}_{f})"
                       for f in ("n", "e", "p", "q", "dp", "dq", "qinv"))
    source = (banner + f'#include "{name}.h"\n\n'
              + "".join(_array(f"{name}_{f}", v) for f, v in arrays.items())
              + f"\nconst struct crypto_rsa_private_key {name} = {{{fields}}};\n")
    return CSource(header, source)


def p256_key_c(name: str, key: P256PrivateKey) -> CSource:
    name = _ident(name)
    banner = _banner("P-256 private key", key.source)
    guard = f"APOGEE_KEY_{name.upper()}_H"
    header = (banner + f"#ifndef {guard}\n#define {guard}\n#include <stdint.h>\n\n"
              f"extern const uint8_t {name}_priv[32];\nextern const uint8_t {name}_public[65];\n"
              "\n#endif\n")
    source = (banner + f'#include "{name}.h"\n\n' + _array(f"{name}_priv", key.priv)
              + _array(f"{name}_public", key.public))
    return CSource(header, source)


def ed25519_key_c(name: str, key: Ed25519PrivateKey) -> CSource:
    name = _ident(name)
    banner = _banner("Ed25519 private key", key.source)
    guard = f"APOGEE_KEY_{name.upper()}_H"
    header = (banner + f"#ifndef {guard}\n#define {guard}\n#include <stdint.h>\n\n"
              f"extern const uint8_t {name}_seed[32];\nextern const uint8_t {name}_public[32];\n"
              f"extern const uint8_t {name}_sk[64]; /* seed || public: ed25519.h */\n\n#endif\n")
    source = (banner + f'#include "{name}.h"\n\n' + _array(f"{name}_seed", key.seed)
              + _array(f"{name}_public", key.public)
              + _array(f"{name}_sk", key.seed + key.public))
    return CSource(header, source)


def certificates_c(name: str, ders: list[bytes], source: str) -> CSource:
    """C for certificates: each DER as an array and a tls_cert table (tls.h)."""
    name = _ident(name)
    banner = _banner(f"{len(ders)} certificate(s), DER", source)
    guard = f"APOGEE_CERTS_{name.upper()}_H"
    header = (banner + f"#ifndef {guard}\n#define {guard}\n#include <stdint.h>\n"
              '#include "tls.h"\n\n'
              + "".join(f"extern const uint8_t {name}_der_{i}[{len(d)}];\n"
                        for i, d in enumerate(ders))
              + f"#define {name.upper()}_COUNT {len(ders)}u\n"
              f"extern const tls_cert {name}[{len(ders)}];\n\n#endif\n")
    entries = ", ".join(f"{{{name}_der_{i}, sizeof({name}_der_{i})}}" for i in range(len(ders)))
    body = (banner + f'#include "{name}.h"\n\n'
            + "".join(_array(f"{name}_der_{i}", d) for i, d in enumerate(ders))
            + f"\nconst tls_cert {name}[{len(ders)}] = {{{entries}}};\n")
    return CSource(header, body)


def write_c(out_dir: str | Path, name: str, c: CSource) -> tuple[Path, Path]:
    """Write <name>.h and <name>.c into out_dir (the build folder, never the tree)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    h, s = out / f"{name}.h", out / f"{name}.c"
    h.write_text(c.header)
    s.write_text(c.source)
    return h, s


# ---- Command line: python -m sdk.keys <kind> <file.pem> <c_name> <out_dir> ----

_KINDS: dict[str, Callable[[str, str], CSource]] = {
    "rsa": lambda path, name: rsa_key_c(name, load_rsa_private_key(path)),
    "p256": lambda path, name: p256_key_c(name, load_p256_private_key(path)),
    "ed25519": lambda path, name: ed25519_key_c(name, load_ed25519_private_key(path)),
    "certs": lambda path, name: certificates_c(name, load_certificates(path), rel(path)),
}


def main(argv: list[str] | None = None) -> int:
    """Convert one PEM file into <out_dir>/<c_name>.h and .c; errors are one
    line on stderr and exit status 2."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m sdk.keys",
                                 description="PEM key or certificates into C arrays")
    ap.add_argument("kind", choices=sorted(_KINDS))
    ap.add_argument("pem")
    ap.add_argument("name", help="C identifier for the arrays")
    ap.add_argument("out_dir")
    args = ap.parse_args(argv)
    try:
        h, c = write_c(args.out_dir, _ident(args.name), _KINDS[args.kind](args.pem, args.name))
    except SdkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {rel(h)} and {rel(c)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
