"""Benchmark of the crypto core on RV32IMAC (QEMU riscv virt, -icount shift=0).

Not a test: prints executed-instruction counts and stack high-water marks per
operation, and text bytes per primitive, as markdown for docs/crypto-rv32.md.
Run: .venv/bin/python tests/bench/bench_crypto_rv32.py

Build: riscv64-unknown-elf-gcc 12 -Os -march=rv32imac_zicsr -mabi=ilp32
-ffunction-sections -fdata-sections --gc-sections, picolibc with its crt0 and
semihosting for the output; the SiFive test device ends the run. The keys and
signatures in rv32_data.h come from the `cryptography` package, and the image
checks every result against them.

Counting: minstret (exact under -icount: QEMU derives it from the instruction
count) and, independently, the time CSR (10 MHz: one tick per 100
instructions at shift=0). Both minus an empty call; a loop of 200002
instructions checks both scales; the two must agree within 100.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]
CRYPTO = ROOT / "netstack" / "crypto"
HERE = Path(__file__).resolve().parent / "crypto_rv32"
CC = "riscv64-unknown-elf-gcc"
STACK = 0x10000
ARCH = ["-march=rv32imac_zicsr", "-mabi=ilp32"]
# GCC 12 picks the multilib by the -march string: link with plain rv32imac.
LINK_ARCH = ["-march=rv32imac", "-mabi=ilp32"]
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Os", "-ffunction-sections",
          "-fdata-sections", "--specs=picolibc.specs", f"-I{CRYPTO}",
          f"-I{ROOT / 'hal' / 'include'}"]
# What each figure's primitive compiles from (text bytes per file below).
FILES = ["sha256", "sha512", "aes", "ghash", "gcm", "chacha20", "poly1305", "chacha20poly1305",
         "hmac", "drbg", "fe25519", "ge25519", "ge25519_base", "sc25519", "x25519", "ed25519",
         "p256_field", "p256_scalar", "p256", "p256_table", "p256_verify", "ecdh_p256",
         "ecdsa_p256_sign", "ecdsa_p256_verify", "bignum", "rsa", "rsa_verify", "rsa_hash", "ct"]


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}"
                 f"{proc.stderr}")
    return proc


def c_array(name: str, data: bytes) -> str:
    body = ", ".join(f"0x{b:02x}" for b in data)
    return f"static const uint8_t {name}[{len(data)}] = {{{body}}};\n"


def make_data() -> str:
    """Fixed keys derived from constants (comparable runs) and results computed
    by `cryptography`, which the image compares its own with."""
    xs = bytes(range(1, 33))
    xpeer = X25519PrivateKey.from_private_bytes(bytes(range(101, 133))).public_key()
    xk = X25519PrivateKey.from_private_bytes(xs)
    ed = Ed25519PrivateKey.from_private_bytes(bytes(range(200, 232)))
    ed_pk = ed.public_key().public_bytes_raw()
    msg = bytes(range(64))
    d = int.from_bytes(hashlib.sha256(b"apogee bench p256").digest(), "big") % (2**255)
    key = ec.derive_private_key(d, ec.SECP256R1())
    peer = ec.derive_private_key(d // 3 + 1, ec.SECP256R1())
    enc, fmt = serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    h = hashlib.sha256(b"bench message").digest()
    pre = utils.Prehashed(hashes.SHA256())
    r, s = utils.decode_dss_signature(key.sign(h, ec.ECDSA(pre, deterministic_signing=True)))
    rk = rsa.generate_private_key(65537, 2048)
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH)
    return ("/* Written by tests/bench/bench_crypto_rv32.py from `cryptography`. */\n"
            "#include <stdint.h>\n"
            + c_array("x_scalar", xs) + c_array("x_point", xpeer.public_bytes_raw())
            + c_array("x_shared", xk.exchange(xpeer))
            + c_array("ed_sk", bytes(range(200, 232)) + ed_pk) + c_array("ed_pk", ed_pk)
            + c_array("ed_msg", msg) + c_array("ed_sig", ed.sign(msg))
            + c_array("ec_priv", d.to_bytes(32, "big"))
            + c_array("ec_pub", key.public_key().public_bytes(enc, fmt))
            + c_array("ec_peer", peer.public_key().public_bytes(enc, fmt))
            + c_array("ec_shared", key.exchange(ec.ECDH(), peer.public_key()))
            + c_array("ec_hash", h)
            + c_array("ec_sig", r.to_bytes(32, "big") + s.to_bytes(32, "big"))
            + c_array("rsa_e", (65537).to_bytes(3, "big"))
            + c_array("rsa_n", rk.public_key().public_numbers().n.to_bytes(256, "big"))
            + c_array("rsa_v15", rk.sign(h, padding.PKCS1v15(), pre))
            + c_array("rsa_pss", rk.sign(h, pss, pre)))


def build(out: Path) -> Path:
    (out / "rv32_data.h").write_text(make_data())
    tracked = run(["git", "ls-files", "netstack/crypto/*.c"], cwd=ROOT).stdout.split()
    srcs = [str(ROOT / f) for f in tracked if not f.endswith("_armv7m.c")]
    elf = out / "bench.elf"
    run([CC, *ARCH, *CFLAGS, f"-I{out}", f"-DBENCH_STACK_SIZE={STACK}", "-c",
         str(HERE / "rv32_bench.c"), "-o", str(out / "rv32_bench.o")])
    objs = [str(out / "rv32_bench.o")]
    for src in srcs:
        obj = out / (Path(src).stem + ".o")
        run([CC, *ARCH, *CFLAGS, "-c", src, "-o", str(obj)])
        objs.append(str(obj))
    run([CC, *LINK_ARCH, "--specs=picolibc.specs", "--oslib=semihost", "-Wl,--gc-sections",
         "-Wl,--defsym=__flash=0x80000000", "-Wl,--defsym=__flash_size=0x400000",
         "-Wl,--defsym=__ram=0x80400000", "-Wl,--defsym=__ram_size=0x400000",
         f"-Wl,--defsym=__stack_size={STACK:#x}", "-o", str(elf), *objs])
    return elf


def text_sizes(out: Path) -> dict[str, int]:
    sizes = {}
    for name in FILES:
        obj = out / f"{name}.o"
        if obj.is_file():
            sizes[name] = int(run([CC.replace("gcc", "size"), str(obj)]).stdout
                              .splitlines()[1].split()[0])
    return sizes


def run_image(elf: Path) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    proc = subprocess.run(
        ["timeout", "300", "qemu-system-riscv32", "-M", "virt", "-bios", "none",
         "-icount", "shift=0", "-nographic", "-monitor", "none", "-serial", "none",
         "-semihosting-config", "enable=on,target=native", "-kernel", str(elf)],
        capture_output=True, text=True)
    res: dict[str, tuple[int, int, int]] = {}
    fails = []
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.fullmatch(r"(\w+) (\d+) (\d+) (\d+)( FAIL)?", line.strip())
        if m:
            res[m[1]] = (int(m[2]), int(m[3]), int(m[4]))
            if m[5]:
                fails.append(m[1])
    if proc.returncode != 0 and not fails:
        sys.exit(f"bench image failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return res, fails


# The Cortex-M3 figure of each operation (QEMU mps2-an385, the same -icount
# method), read from the row with this label in docs/crypto-*.md.
M3_ROWS = {
    "sha256_1k": "SHA-256, 1 KiB",
    "sha512_1k": "SHA-384 / SHA-512, 1 KiB",
    "aes128_gcm_init": "AES-128-GCM init (key schedule + H)",
    "aes128_gcm_seal_1k": "AES-128-GCM seal, 1 KiB (constant time)",
    "aes128_gcm_open_1k": "AES-128-GCM open, 1 KiB",
    "aes256_gcm_seal_1k": "AES-256-GCM seal, 1 KiB",
    "chacha20poly1305_seal_1k": "ChaCha20-Poly1305 seal, 1 KiB",
    "chacha20poly1305_open_1k": "ChaCha20-Poly1305 open, 1 KiB",
    "hmac_drbg_generate_32": "HMAC_DRBG generate, 32 bytes",
    "x25519": "X25519 (shared secret)",
    "x25519_public_key": "X25519 public key",
    "ed25519_sign": "Ed25519 sign (64-byte message)",
    "ed25519_verify": "Ed25519 verify (64-byte message)",
    "p256_ecdh": "p256_ecdh",
    "ecdsa_p256_sign": "ECDSA P-256 sign (RFC 6979, constant time)",
    "ecdsa_p256_verify": "ECDSA P-256 verify",
    "rsa2048_pkcs1_verify": "rsa2048_pkcs1_verify",
    "rsa2048_pss_verify": "rsa2048_pss_verify",
}


def _count(cell: str) -> int | None:
    cell = cell.replace("*", "").replace(",", "").strip()
    m = re.fullmatch(r"([\d.]+)( M)?", cell)
    if not m:
        return None
    return round(float(m[1]) * (1e6 if m[2] else 1))


def cortex_m3() -> dict[str, int]:
    rows: dict[str, int] = {}
    for doc in sorted((ROOT / "docs").glob("crypto-*.md")):
        if doc.name == "crypto-rv32.md":
            continue
        for line in doc.read_text().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 2 and cells[0] not in rows:
                n = _count(cells[1])
                if n is not None:
                    rows[cells[0]] = n
    return {op: rows[label] for op, label in M3_ROWS.items() if label in rows}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        elf = build(out)
        sizes = text_sizes(out)
        res, fails = run_image(elf)
    base_i, base_t, _ = res.pop("empty")
    cal_i, cal_t, _ = res.pop("calibrate_200002")
    cal_i -= base_i
    cal_t = (cal_t - base_t) * 100
    print(f"calibration: a loop of 200002 instructions: minstret {cal_i}, time CSR {cal_t} "
          f"({'ok' if cal_i == 200002 and abs(cal_t - 200002) <= 100 else 'SCALE WRONG'})")
    if fails:
        print(f"RESULT MISMATCH in: {', '.join(fails)}")
    m3 = cortex_m3()
    print("\n| operation | RV32 instructions (minstret) | time CSR x 100 | per byte "
          "| stack (B) | Cortex-M3 instructions | RV32 / M3 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (ins, ticks, stack) in res.items():
        n = ins - base_i
        t = (ticks - base_t) * 100
        per = f"{n / 1024:.1f}" if name.endswith("_1k") else \
            f"{n / 64:.1f}" if name.endswith("_64") else ""
        agree = "" if abs(n - t) <= 100 else " (!)"
        ref = m3.get(name)
        m3_cell = f"{ref:,} | {n / ref:.2f}" if ref else " | "
        print(f"| {name} | {n:,} | {t:,}{agree} | {per} | {stack} | {m3_cell} |")
    print("\n| file | text (B) |")
    print("|---|---:|")
    for name, text in sizes.items():
        print(f"| {name}.c | {text} |")
    print(f"| total | {sum(sizes.values())} |")


if __name__ == "__main__":
    main()
