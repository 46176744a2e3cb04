"""Benchmark of RSA signing on Cortex-M3 (not a test).

Builds tests/bench/rsa_sign/rs_bench.c with the crypto sources for QEMU
mps2-an385 (arm-none-eabi-gcc -Os -mcpu=cortex-m3 -mthumb, picolibc,
--gc-sections, the linker script of tests/bench/crypto_pk/), runs it under
`-icount shift=0`, and prints per operation: executed instructions (an empty
operation subtracted), stack high-water mark, and flash (an image calling only
that operation, its init included, minus an image calling nothing). The
signatures the target printed are checked on the host (cryptography verifies
them; the raw operation equals pow(x, d, n)), so the figures are of working code.

    .venv/bin/python tests/bench/bench_rsa_sign.py [--write-docs]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "tests" / "bench" / "rsa_sign"
LD = ROOT / "tests" / "bench" / "crypto_pk" / "an385.ld"
OUT = ROOT / "build" / "bench-rsa-sign"
CRYPTO = ROOT / "netstack" / "crypto"
DOC = ROOT / "docs" / "crypto-rsa-sign.md"

SOURCES = ["bignum", "rsa_private", "rsa_sign", "rsa_hash", "ct", "sha256", "sha512", "hmac",
           "drbg"]
CFLAGS = ["-mcpu=cortex-m3", "-mthumb", "-Os", "-std=c11", "-Wall", "-Wextra", "-Werror",
          "-ffunction-sections", "-fdata-sections", "--specs=picolibc.specs"]
OPS = ["empty", "calibrate", "rsa2048_private_init", "rsa2048_private",
       "rsa2048_pss_sign_sha256", "rsa2048_pss_sign_sha384", "rsa3072_private_init",
       "rsa3072_pss_sign_sha256", "rsa4096_private_init", "rsa4096_pss_sign_sha256"]
FLASH_OPS = {2: "private_init only", 3: "init + private operation", 4: "init + PSS sign"}
MSG = b"bench message"


def c_array(name: str, data: bytes) -> str:
    body = ", ".join(f"0x{b:02x}" for b in data)
    return f"static const uint8_t {name}[{len(data)}] = {{{body}}};\n"


def be(x: int, length: int) -> bytes:
    return x.to_bytes(length, "big")


def make_keys() -> dict[int, rsa.RSAPrivateKey]:
    # Fresh keys each run: the code is constant time, so the counts depend on
    # the key sizes only (two runs give the same figures; try it).
    return {bits: rsa.generate_private_key(65537, bits) for bits in (2048, 3072, 4096)}


def make_data(keys: dict[int, rsa.RSAPrivateKey]) -> str:
    text = "#include <stdint.h>\n"
    text += c_array("rsa_e", be(65537, 3))
    text += c_array("rsa_hash256", hashlib.sha256(MSG).digest())
    text += c_array("rsa_hash384", hashlib.sha384(MSG).digest())
    for bits, key in keys.items():
        nums = key.private_numbers()
        plen, qlen = (nums.p.bit_length() + 7) // 8, (nums.q.bit_length() + 7) // 8
        text += c_array(f"rsa{bits}_n", be(nums.public_numbers.n, bits // 8))
        text += c_array(f"rsa{bits}_p", be(nums.p, plen))
        text += c_array(f"rsa{bits}_q", be(nums.q, qlen))
        text += c_array(f"rsa{bits}_dp", be(nums.dmp1, plen))
        text += c_array(f"rsa{bits}_dq", be(nums.dmq1, qlen))
        text += c_array(f"rsa{bits}_qinv", be(nums.iqmp, plen))
    n2048 = keys[2048].private_numbers().public_numbers.n
    text += c_array("rsa2048_x", be(pow(0xC0FFEE, 99, n2048), 256))
    return text


def build(name: str, defines: list[str]) -> Path:
    elf = OUT / f"{name}.elf"
    quiet = ["-Wno-unused-function", "-Wno-unused-const-variable",
             "-Wno-unused-variable"] if defines else []
    cmd = ["arm-none-eabi-gcc", *CFLAGS, *quiet, *[f"-D{x}" for x in defines],
           f"-I{ROOT / 'hal/include'}", f"-I{CRYPTO}", f"-I{OUT}", "-fstack-usage",
           "-nostartfiles", "-Wl,--gc-sections", f"-T{LD}", "-o", str(elf),
           str(SRC / "rs_bench.c"), *[str(CRYPTO / f"{s}.c") for s in SOURCES]]
    subprocess.run(cmd, check=True, cwd=OUT)
    return elf


def text_size(elf: Path) -> int:
    out = subprocess.run(["arm-none-eabi-size", str(elf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1].split()
    return int(out[0]) + int(out[1])  # text + data (flash)


def run_qemu(elf: Path) -> str:
    proc = subprocess.run(
        ["timeout", "900", "qemu-system-arm", "-M", "mps2-an385", "-nographic",
         "-icount", "shift=0", "-semihosting-config", "enable=on,target=native",
         "-kernel", str(elf)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"benchmark run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout + proc.stderr


def parse(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, bytes], int]:
    res: dict[str, tuple[int, int]] = {}
    ctx_bytes = 0
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in OPS:
            if len(parts) > 3:
                sys.exit(f"operation failed on target: {line}")
            res[parts[0]] = (int(parts[1]), int(parts[2]))
        elif len(parts) == 2 and parts[0] == "ctx_bytes":
            ctx_bytes = int(parts[1])
    if len(res) != len(OPS):
        sys.exit(f"benchmark output incomplete:\n{text}")
    outs = {m.group(1): bytes.fromhex(m.group(2))
            for m in re.finditer(r"^out_(\w+)=([0-9a-f]+)$", text, flags=re.M)}
    return res, outs, ctx_bytes


def check_outputs(keys: dict[int, rsa.RSAPrivateKey], outs: dict[str, bytes]) -> None:
    """What the target computed is right: the figures are of working code."""
    nums = keys[2048].private_numbers()
    n = nums.public_numbers.n
    x = pow(0xC0FFEE, 99, n)
    if int.from_bytes(outs["raw2048"], "big") != pow(x, nums.d, n):
        sys.exit("target's RSA-2048 private operation is wrong")
    for tag, bits, h in (("pss2048", 2048, hashes.SHA256), ("pss2048_384", 2048, hashes.SHA384),
                         ("pss3072", 3072, hashes.SHA256), ("pss4096", 4096, hashes.SHA256)):
        digest = hashlib.new(h.name, MSG).digest()
        keys[bits].public_key().verify(
            outs[tag], digest, padding.PSS(padding.MGF1(h()), padding.PSS.DIGEST_LENGTH),
            utils.Prehashed(h()))
    print("target outputs verified on the host (cryptography)")


def stack_frames() -> dict[str, int]:
    frames: dict[str, int] = {}
    for su in OUT.glob("*.su"):
        for line in su.read_text().splitlines():
            m = re.match(r"\S+:\d+:\d+:(\S+)\s+(\d+)", line)
            if m:
                frames[m.group(1)] = int(m.group(2))
    return frames


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*.su"):
        stale.unlink()
    keys = make_keys()
    (OUT / "rs_data.h").write_text(make_data(keys))
    res, outs, ctx_bytes = parse(run_qemu(build("rs_all", [])))
    check_outputs(keys, outs)
    print(f"calibration: {res['calibrate'][0]} counted for 200002 executed (scale check)")
    base = text_size(build("rs_only_empty", ["RS_ONLY=0"]))
    flash = {i: text_size(build(f"rs_only_{i}", [f"RS_ONLY={i}"])) - base for i in FLASH_OPS}
    frames = stack_frames()
    print(f"{'operation':26} {'instructions':>13} {'stack B':>8}")
    for op in OPS[2:]:
        ins, st = res[op]
        print(f"{op:26} {ins:13,d} {st:8d}")
    for i, what in FLASH_OPS.items():
        print(f"flash, {what}: {flash[i]:,d} B")
    print(f"sizeof(struct crypto_rsa_private_ctx) = {ctx_bytes:,d} B (APOGEE_BN_MAX_BITS 4096)")
    mine = {k: v for k, v in frames.items()
            if k.startswith(("bn_", "crypto_rsa", "crt_", "blind_", "init_", "pss_", "mgf1"))}
    big = sorted(mine.items(), key=lambda kv: -kv[1])[:8]
    print("largest -fstack-usage frames:", ", ".join(f"{k} {v}" for k, v in big))
    if args.write_docs:
        rows = "\n".join(f"| {op} | {res[op][0]:,d} | {res[op][1]:,d} |" for op in OPS[2:])
        flash_rows = "\n".join(f"| {what} | {flash[i]:,d} |" for i, what in FLASH_OPS.items())
        new = ("<!-- bench:start -->\n| operation | instructions | stack (bytes) |\n"
               f"|---|---:|---:|\n{rows}\n\n| flash (Cortex-M3 -Os, --gc-sections) | bytes |\n"
               f"|---|---:|\n{flash_rows}\n\nWorking memory: sizeof(struct "
               f"crypto_rsa_private_ctx) = {ctx_bytes:,d} bytes (APOGEE_BN_MAX_BITS 4096). "
               "Largest single frames (-fstack-usage): "
               + ", ".join(f"{k} {v} B" for k, v in big) + "\n<!-- bench:end -->")
        text = DOC.read_text()
        text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", new, text, flags=re.S)
        DOC.write_text(text)
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
