"""Benchmark of the TLS 1.3 server on Cortex-M (not a test).

1. Instruction count of one server handshake (x25519, ECDSA P-256 server key,
   TLS_AES_128_GCM_SHA256) on QEMU mps2-an385 (Cortex-M3) with -icount shift=0:
   tests/bench/tls/tls_bench.c runs our client and our server in one image and
   times only the server's calls (SysTick, 40 instructions per tick).
2. Flash and RAM of a minimal server image (one static connection, no client,
   no X.509 parser): arm-none-eabi-gcc -Os -ffunction-sections -fdata-sections
   --gc-sections with picolibc, for -mcpu=cortex-m3 and -mcpu=cortex-m4; the
   linker map splits the kept code into TLS, crypto and C library.

    .venv/bin/python tests/bench/bench_tls.py [--write-docs]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "tests" / "bench" / "tls"
OUT = ROOT / "build" / "bench-tls"
DOC = ROOT / "docs" / "tls.md"
TLS = ["tls_conn", "tls_keys", "tls_record", "tls_server", "tls_client", "tls_hs_common",
       "tls_x509", "tls_ticket"]
CRYPTO = ["sha256", "sha512", "hmac", "hkdf", "aes", "gcm", "ghash", "chacha20", "poly1305",
          "chacha20poly1305", "x25519", "fe25519", "fe25519_armv7m", "ge25519", "ge25519_base",
          "sc25519", "ed25519", "p256", "ecdh_p256", "p256_field", "p256_scalar", "p256_table",
          "p256_verify", "ecdsa_p256_sign", "ecdsa_p256_verify", "ecdsa_der", "ct", "bignum",
          "rsa", "rsa_verify", "rsa_private", "rsa_sign", "rsa_hash", "drbg"]


def c_array(name: str, data: bytes) -> str:
    return (f"static const uint8_t {name}[{len(data)}] = {{"
            + ", ".join(f"0x{b:02x}" for b in data) + "};\n")


def make_data() -> None:
    """A fixed P-256 key (derived from a constant: counts repeat) and a
    self-signed certificate for "localhost" made with `cryptography`."""
    d = int.from_bytes(hashlib.sha256(b"apogee tls bench").digest(), "big") % (2**255)
    key = ec.derive_private_key(d, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    import datetime
    t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(t).not_valid_after(t + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .sign(key, hashes.SHA256()))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tb_data.h").write_text(
        "#include <stdint.h>\n" + c_array("tb_key", d.to_bytes(32, "big"))
        + c_array("tb_cert", cert.public_bytes(serialization.Encoding.DER)))


def make_rsa_data() -> None:
    """An RSA-2048 key (made once per run: counts of the private-key operation do
    not depend on the key's bits, the tests show) and its self-signed certificate,
    through sdk/keys.py as an app's would go: tb_rsa.{h,c} beside tb_data.h."""
    import datetime

    from cryptography.hazmat.primitives.asymmetric import rsa

    sys.path.insert(0, str(ROOT))
    from sdk import keys

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = OUT / "tb_rsa.pem"
    OUT.mkdir(parents=True, exist_ok=True)
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    keys.write_c(OUT, "tb_rsa", keys.rsa_key_c("tb_rsa", keys.load_rsa_private_key(pem)))
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(t).not_valid_after(t + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .sign(key, hashes.SHA256()))
    (OUT / "tb_data.h").write_text(
        "#include <stdint.h>\n#include \"tb_rsa.h\"\n" + c_array("tb_key", bytes(32))
        + c_array("tb_cert", cert.public_bytes(serialization.Encoding.DER)))


MINIMAL = ["APOGEE_TLS_SUITES=1", "APOGEE_TLS_GROUPS=1", "APOGEE_TLS_ED25519=0",
           "APOGEE_TLS_CLIENT_AUTH=0", "APOGEE_TLS_TICKETS=0"]
VARIANTS = {  # name -> defines of the server-only image
    "all features": [],
    "x25519 + ECDSA P-256 + AES-128-GCM": MINIMAL,
    "same, X25519 keys by the ladder": [*MINIMAL, "APOGEE_TLS_X25519_LADDER_KEYGEN=1"],
}


def build(name: str, cpu: str, server_only: bool, defines: list[str] | None = None) -> Path:
    crypto_dir = ROOT / "netstack" / "crypto"
    tls_dir = ROOT / "netstack" / "tls"
    srcs = [SRC / "tls_bench.c", *[tls_dir / f"{s}.c" for s in TLS],
            *[crypto_dir / f"{s}.c" for s in CRYPTO if (crypto_dir / f"{s}.c").exists()]]
    if "TB_RSA" in (defines or []):
        srcs.append(OUT / "tb_rsa.c")
    elf = OUT / f"{name}.elf"
    objdir = OUT / name
    objdir.mkdir(parents=True, exist_ok=True)
    flags = ["arm-none-eabi-gcc", f"-mcpu={cpu}", "-mthumb", "-Os", "-std=c11", "-Wall",
             "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections",
             "--specs=picolibc.specs", *(["-DTB_SERVER_ONLY"] if server_only else []),
             *[f"-D{d}" for d in defines or []],
             f"-I{ROOT / 'hal/include'}", f"-I{crypto_dir}", f"-I{tls_dir}", f"-I{OUT}"]
    objs = []
    for src in srcs:
        obj = objdir / (src.stem + ".o")
        p = subprocess.run([*flags, "-c", "-o", str(obj), str(src)], capture_output=True,
                           text=True)
        if p.returncode != 0:
            sys.exit(f"build of {src} failed:\n{p.stderr}")
        objs.append(str(obj))
    cmd = [*flags, "-nostartfiles", "-Wl,--gc-sections", f"-Wl,-Map={OUT / (name + '.map')}",
           f"-T{SRC / 'tls_an385.ld'}", "-o", str(elf), *objs]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"link failed:\n{' '.join(cmd)}\n{p.stderr}")
    return elf


def sizes(name: str) -> dict[str, int]:
    """Kept .text/.rodata/.data/.bss bytes by origin, from the linker map."""
    out = {"tls": 0, "crypto": 0, "libc+startup": 0, "ram_bss": 0, "ram_data": 0}
    text = (OUT / f"{name}.map").read_text()
    start = text.index("Linker script and memory map")
    sec = None
    for m in re.finditer(r"^ (\.\w+)(?:\.\S*)?\s*\n?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)",
                         text[start:], flags=re.M):
        sec, size, src = m.group(1), int(m.group(3), 16), m.group(4)
        if size == 0:
            continue
        if sec in (".bss",):
            out["ram_bss"] += size
            continue
        if sec == ".data":
            out["ram_data"] += size
        if sec not in (".text", ".rodata", ".data"):
            continue
        stem = Path(src).stem if src.endswith(".o") else ""
        if stem in TLS:
            out["tls"] += size
        elif stem in CRYPTO:
            out["crypto"] += size
        else:
            out["libc+startup"] += size
    return out


def elf_size(elf: Path) -> tuple[int, int, int]:
    f = subprocess.run(["arm-none-eabi-size", str(elf)], capture_output=True, text=True,
                       check=True).stdout.splitlines()[1].split()
    return int(f[0]), int(f[1]), int(f[2])


def run(elf: Path) -> dict[str, int]:
    p = subprocess.run(["timeout", "600", "qemu-system-arm", "-M", "mps2-an385", "-nographic",
                        "-icount", "shift=0", "-semihosting-config", "enable=on,target=native",
                        "-kernel", str(elf)], capture_output=True, text=True)
    text = p.stdout + p.stderr
    if p.returncode != 0 or "result OK" not in text:
        sys.exit(f"run failed ({p.returncode}):\n{text}")
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+) (\d+)$", text, re.M)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    make_data()
    res = run(build("tls_handshake_m3", "cortex-m3", False))
    print(f"calibration: {res['calibrate_x40']} counted for 200002 executed")
    hs = res["server_handshake_instructions"]
    print(f"server handshake (x25519, ECDSA P-256, AES-128-GCM): {hs:,d} instructions "
          f"in {res['server_calls']} calls; stack high-water {res['stack_bytes']} B; "
          f"tls_conn {res['conn_bytes']} B")
    lad = run(build("tls_handshake_m3_ladder", "cortex-m3", False,
                    ["APOGEE_TLS_X25519_LADDER_KEYGEN=1"]))["server_handshake_instructions"]
    print(f"  with X25519 keys by the ladder: {lad:,d} instructions")
    make_rsa_data()
    rsa_run = run(build("tls_handshake_m3_rsa", "cortex-m3", False,
                        ["TB_RSA", "APOGEE_TLS_RSA=1"]))
    print(f"server handshake with RSA-2048 (rsa_pss_rsae_sha256): "
          f"{rsa_run['server_handshake_instructions']:,d} instructions; key set-up once "
          f"{rsa_run['rsa_init_instructions']:,d}; stack high-water {rsa_run['stack_bytes']} B")
    make_data()
    rows = []
    for label, defs in VARIANTS.items():
        for cpu in ("cortex-m3", "cortex-m4"):
            name = f"tls_server_{cpu}_{len(rows)}"
            elf = build(name, cpu, True, defs)
            text, data, bss = elf_size(elf)
            s = sizes(name)
            print(f"{label}, {cpu}: image text {text} B, data {data} B, bss {bss} B; "
                  f"TLS {s['tls']} B, crypto {s['crypto']} B, libc+startup {s['libc+startup']} B")
            rows.append((label, cpu, text + data, s["tls"], s["crypto"], s["libc+startup"],
                         bss + data))
    if args.write_docs:
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        table = "\n".join(f"| {lb} | {c} | {f:,d} | {t:,d} | {cr:,d} | {lc:,d} | {r:,d} |"
                          for lb, c, f, t, cr, lc, r in rows)
        m4_min = next(r for r in rows if r[0] != "all features" and r[1] == "cortex-m4")
        m4_all = next(r for r in rows if r[0] == "all features" and r[1] == "cortex-m4")
        new = (
            f"{start}\n"
            "| measure | Apogee | peers (GOALS.md) |\n|---|---|---|\n"
            f"| one server handshake, x25519 + ECDSA P-256 sign, AES-128-GCM (instructions, "
            f"Cortex-M3, QEMU -icount) | {hs / 1e6:.2f} M | - |\n"
            f"| same, X25519 public key by the ladder | {lad / 1e6:.2f} M | - |\n"
            f"| minimal TLS 1.3 server (x25519, ECDSA P-256, AES-128-GCM), flash, Cortex-M4, "
            f"TLS + crypto + libc | {m4_min[2] / 1024:.1f} KiB | BearSSL TLS 1.2 server "
            f"39.6 KiB; Mbed TLS 3.6.6 TLS 1.3 server 73.6 KiB; goal <= 32 KiB |\n"
            f"| server with every option (3 suites, 2 groups, Ed25519 keys, client "
            f"certificates) | {m4_all[2] / 1024:.1f} KiB | - |\n"
            f"| RAM per connection (tls_conn, 16 KiB records) | {res['conn_bytes'] / 1024:.1f} "
            f"KiB | BearSSL 37 KiB (20.5 KiB one buffer); Mbed TLS 10.8 KiB + 34.7 KiB heap; "
            f"goal <= 20 KiB |\n"
            f"| stack high-water of the server's calls | {res['stack_bytes']:,d} B | - |\n\n"
            "| server image | cpu | flash (B) | TLS (B) | crypto (B) | libc + startup (B) | "
            "static RAM (B) |\n|---|---|---:|---:|---:|---:|---:|\n" + table + f"\n{end}")
        doc = DOC.read_text()
        DOC.write_text(re.sub(f"{start}.*?{end}", new, doc, flags=re.S))
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
