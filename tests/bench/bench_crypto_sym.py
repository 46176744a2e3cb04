"""Benchmark of the symmetric crypto on Cortex-M3 (QEMU mps2-an385, -icount shift=0).

Not a test: prints executed-instruction counts per operation, stack high-water
marks, and flash (text) per primitive, as a markdown table for
docs/crypto-symmetric.md. Run: .venv/bin/python tests/bench/bench_crypto_sym.py

Build: arm-none-eabi-gcc 12 -Os -mcpu=cortex-m3 -mthumb -ffunction-sections
-fdata-sections --gc-sections with picolibc, the same flags GOALS.md's peer
figures used (they used newlib-nano; only memcpy/memset come from the libc here).
The image is our own: tests/bench/crypto_sym/ (vector table, linker script,
semihosting). Instruction counts come from SysTick on the CPU clock (see
bench_main.c); the calibration line checks the 40-instructions-per-tick scale.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CRYPTO = ROOT / "netstack" / "crypto"
HERE = Path(__file__).resolve().parent / "crypto_sym"

PRIMITIVES = ["sha256", "sha512", "hmac", "hkdf", "aes", "ghash", "gcm", "chacha20",
              "poly1305", "chacha20poly1305", "drbg"]
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-mcpu=cortex-m3", "-mthumb",
          "-Os", "-ffunction-sections", "-fdata-sections", "--specs=picolibc.specs",
          f"-I{CRYPTO}", f"-I{ROOT / 'hal' / 'include'}", f"-I{HERE}"]
CC = "arm-none-eabi-gcc"


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return proc


def flash_sizes(out: Path) -> dict[str, tuple[int, int]]:
    """text bytes and the largest -fstack-usage frame per primitive's object."""
    sizes: dict[str, tuple[int, int]] = {}
    for name in PRIMITIVES:
        obj = out / f"{name}.o"
        run([CC, *CFLAGS, "-fstack-usage", "-c", str(CRYPTO / f"{name}.c"), "-o", str(obj)])
        text = int(run(["arm-none-eabi-size", str(obj)]).stdout.splitlines()[1].split()[0])
        frames = [int(line.split("\t")[1]) for line in obj.with_suffix(".su").read_text()
                  .splitlines() if line.strip()]
        sizes[name] = (text, max(frames, default=0))
    return sizes


def build_image(out: Path) -> Path:
    srcs = [str(CRYPTO / f"{n}.c") for n in [*PRIMITIVES, "ct"]]
    srcs += [str(HERE / "startup.c"), str(HERE / "bench_main.c")]
    elf = out / "bench.elf"
    run([CC, *CFLAGS, "-nostartfiles", f"-T{HERE / 'mps2_an385.ld'}", "-Wl,--gc-sections",
         *srcs, "-o", str(elf)])
    return elf


def run_image(elf: Path) -> dict[str, tuple[int, int]]:
    proc = run(["timeout", "120", "qemu-system-arm", "-M", "mps2-an385", "-icount", "shift=0",
                "-nographic", "-monitor", "none", "-serial", "none",
                "-semihosting-config", "enable=on,target=native", "-kernel", str(elf)])
    results: dict[str, tuple[int, int]] = {}
    # QEMU writes semihosting output to stderr when stdout is not a terminal.
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.fullmatch(r"(\w+) (\d+) (\d+)", line.strip())
        if m:
            results[m[1]] = (int(m[2]), int(m[3]))
    return results


PEERS = {
    "chacha20poly1305_seal_1k": "BearSSL 35.1, Monocypher 38.5 (goal ≤ 30)",
    "aes128_gcm_seal_1k": "BearSSL ct 283, ct64 293 (goal ≤ 200)",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        sizes = flash_sizes(out)
        elf = build_image(out)
        res = run_image(elf)
    cal = res.pop("calibrate_200002", (0, 0))[0]
    print(f"calibration: a loop of 200002 instructions measured {cal} "
          f"({'ok' if abs(cal - 200002) <= 80 else 'SCALE WRONG'})\n")
    print("| operation | instructions | per byte | stack (B) | peers, per byte |")
    print("|---|---:|---:|---:|---|")
    for name, (n, stack) in res.items():
        per = f"{n / 1024:.1f}" if name.endswith("_1k") else ""
        print(f"| {name} | {n} | {per} | {stack} | {PEERS.get(name, '')} |")
    print("\n| file | text (B) | largest frame (B) |")
    print("|---|---:|---:|")
    for name, (text, frame) in sizes.items():
        print(f"| {name}.c | {text} | {frame} |")
    print(f"| total | {sum(t for t, _ in sizes.values())} | |")


if __name__ == "__main__":
    main()
